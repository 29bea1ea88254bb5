package io.sagebrush.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses AGENT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.sagebrush.agent");

  @Test
  void onlyTheDockerAdapterUsesDockerJava() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..agent.runtime.adapter.docker..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.github.dockerjava..")
        .check(AGENT);
  }

  @Test
  void theAgentNeverTalksToTheS3SdkDirectly() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.minio..").check(AGENT);
  }

  @Test
  void theRuntimePortDoesNotDependOnItsAdapters() {
    noClasses()
        .that()
        .resideInAPackage("io.sagebrush.agent.runtime")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..runtime.adapter..")
        .check(AGENT);
  }

  @Test
  void executionStagesUseRuntimesOnlyThroughThePort() {
    noClasses()
        .that()
        .resideInAPackage("..agent.execution..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..runtime.adapter..")
        .check(AGENT);
  }

  @Test
  void everyPackageHasAPackageInfo() throws IOException {
    Path root = Path.of("src/main/java");
    try (Stream<Path> dirs = Files.walk(root)) {
      List<Path> missing =
          dirs.filter(Files::isDirectory)
              .filter(d -> hasJava(d))
              .filter(d -> !Files.exists(d.resolve("package-info.java")))
              .toList();
      assertThat(missing).isEmpty();
    }
  }

  private static boolean hasJava(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(".java"));
    } catch (IOException e) {
      return false;
    }
  }
}
