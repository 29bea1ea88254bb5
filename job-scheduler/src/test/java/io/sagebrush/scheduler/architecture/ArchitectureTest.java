package io.sagebrush.scheduler.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "io.sagebrush.scheduler",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule domainImportsNoSpringJpaOrJackson =
      noClasses()
          .that()
          .resideInAPackage("..domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "jakarta.persistence..",
              "com.fasterxml.jackson..",
              "org.hibernate..");

  @ArchTest
  static final ArchRule domainImportsNoServiceOrAdapter =
      noClasses()
          .that()
          .resideInAPackage("..domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("..service..", "..adapter..", "..config..");

  @ArchTest
  static final ArchRule onlyConfigurationUsesSpringAnnotationsOnServices =
      noClasses()
          .that()
          .resideInAnyPackage("..service..", "..domain..", "..adapter..", "..leader..")
          .should()
          .beAnnotatedWith("org.springframework.stereotype.Service")
          .orShould()
          .beAnnotatedWith("org.springframework.stereotype.Component")
          .orShould()
          .beAnnotatedWith("org.springframework.context.annotation.Configuration");

  @ArchTest
  static final ArchRule jpaOnlyInPersistenceAdapters =
      noClasses()
          .that()
          .resideOutsideOfPackages("..adapter.persistence..", "..config..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("jakarta.persistence..");
}
