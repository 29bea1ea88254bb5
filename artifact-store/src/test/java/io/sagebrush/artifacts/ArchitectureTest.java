package io.sagebrush.artifacts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.sagebrush.artifacts");

  @Test
  void onlyTheS3AdapterImportsTheMinioSdk() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.sagebrush.artifacts.adapter.s3..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.minio..")
        .check(MAIN);
  }

  @Test
  void onlyTheEmbeddedServerImportsS3ProxyAndJclouds() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.sagebrush.artifacts.embedded..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.gaul..", "org.jclouds..")
        .check(MAIN);
  }

  @Test
  void theRootPackageDependsOnNoAdapter() {
    noClasses()
        .that()
        .resideInAPackage("io.sagebrush.artifacts")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.sagebrush.artifacts.adapter..",
            "io.sagebrush.artifacts.embedded..",
            "io.sagebrush.artifacts.archive..")
        .check(MAIN);
  }
}
