package io.sagebrush.api.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  static final JavaClasses API =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.sagebrush.api");

  @Test
  void onlyTheEmbeddedWiringTouchesEmbeddedPostgresAndTheEmbeddedS3Server() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.sagebrush.api.embedded..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.zonky..", "io.sagebrush.artifacts.embedded..")
        .check(API);
  }

  @Test
  void theEdgesNeverReachIntoTheSchedulersPersistenceAdapters() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.sagebrush.scheduler..adapter..", "jakarta.persistence..")
        .check(API);
  }

  @Test
  void theWireProtocolPackageDoesNotDependOnAnyFeature() {
    noClasses()
        .that()
        .resideInAPackage("io.sagebrush.api.awsjson..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.sagebrush.api.trainingjob..", "io.sagebrush.api.logs..", "io.sagebrush.api.tag..")
        .check(API);
  }
}
