package io.sagebrush.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  @Test
  void environmentWithoutSettingsGivesLocalDefaults() {
    AgentConfig config = AgentConfig.fromEnvironment(Map.of("SAGEBRUSH_HOME", "/tmp/sb-home"));

    assertThat(config.controlPlaneUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(config.workDir()).isEqualTo(Path.of("/tmp/sb-home/agent"));
    assertThat(config.runtime()).isEqualTo("auto");
    assertThat(config.cpus()).isNull();
    assertThat(config.memoryMb()).isNull();
    assertThat(config.storageOverride()).isNull();
    assertThat(config.nvidiaSmiCommand()).isEqualTo("nvidia-smi");
    assertThat(config.pythonCommand()).isEqualTo("python3");
    assertThat(config.agentIdFile()).isEqualTo(Path.of("/tmp/sb-home/agent/agent-id"));
  }

  @Test
  void environmentVariablesSetEveryMember() {
    AgentConfig config =
        AgentConfig.fromEnvironment(
            Map.of(
                "SAGEBRUSH_CONTROL_PLANE_URL", "http://cp:8080",
                "SAGEBRUSH_AGENT_TOKEN", "tok",
                "SAGEBRUSH_AGENT_WORK_DIR", "/var/lib/sagebrush",
                "SAGEBRUSH_RUNTIME", "DOCKER",
                "SAGEBRUSH_AGENT_NAME", "gpu-box",
                "SAGEBRUSH_AGENT_CPUS", "8",
                "SAGEBRUSH_AGENT_MEMORY_MB", "16384",
                "SAGEBRUSH_S3_ENDPOINT", "http://minio:9000",
                "SAGEBRUSH_ACCESS_KEY", "ak",
                "SAGEBRUSH_SECRET_KEY", "sk"));

    assertThat(config.controlPlaneUrl()).isEqualTo(URI.create("http://cp:8080"));
    assertThat(config.token()).isEqualTo("tok");
    assertThat(config.workDir()).isEqualTo(Path.of("/var/lib/sagebrush"));
    assertThat(config.runtime()).isEqualTo("docker");
    assertThat(config.name()).isEqualTo("gpu-box");
    assertThat(config.cpus()).isEqualTo(8);
    assertThat(config.memoryMb()).isEqualTo(16384L);
    assertThat(config.storageOverride().endpoint()).isEqualTo("http://minio:9000");
    assertThat(config.storageOverride().accessKey()).isEqualTo("ak");
    assertThat(config.storageOverride().secretKey()).isEqualTo("sk");
    assertThat(config.storageOverride().region()).isEqualTo("us-east-1");
  }

  @Test
  void servingContainersArePublishedOnLoopbackUnlessAnotherHostIsAdvertised() {
    AgentConfig local = AgentConfig.fromEnvironment(Map.of());
    assertThat(local.advertiseHost()).isEqualTo("127.0.0.1");
    assertThat(local.bindAddress()).isEqualTo("127.0.0.1");

    AgentConfig remote =
        AgentConfig.fromEnvironment(Map.of("SAGEBRUSH_AGENT_ADVERTISE_HOST", "gpu-7.lab"));
    assertThat(remote.advertiseHost()).isEqualTo("gpu-7.lab");
    assertThat(remote.bindAddress()).isEqualTo("0.0.0.0");

    AgentConfig pinned =
        AgentMain.parse(
            new String[] {"--advertise-host", "10.0.0.5", "--bind-address=10.0.0.5"}, Map.of());
    assertThat(pinned.advertiseHost()).isEqualTo("10.0.0.5");
    assertThat(pinned.bindAddress()).isEqualTo("10.0.0.5");
  }

  @Test
  void malformedNumbersAreRejectedNamingTheVariable() {
    assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("SAGEBRUSH_AGENT_CPUS", "many")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SAGEBRUSH_AGENT_CPUS");
  }

  @Test
  void unknownRuntimeIsRejected() {
    assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("SAGEBRUSH_RUNTIME", "k8s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, docker or process");
  }

  @Test
  void flagsOverrideEnvironment() {
    AgentConfig config =
        AgentMain.parse(
            new String[] {
              "--control-plane-url",
              "http://remote:8080",
              "--token=secret",
              "--runtime",
              "process",
              "--cpus",
              "2",
              "--keep-job-dirs"
            },
            Map.of("SAGEBRUSH_CONTROL_PLANE_URL", "http://ignored", "SAGEBRUSH_AGENT_CPUS", "4"));

    assertThat(config.controlPlaneUrl()).isEqualTo(URI.create("http://remote:8080"));
    assertThat(config.token()).isEqualTo("secret");
    assertThat(config.runtime()).isEqualTo("process");
    assertThat(config.cpus()).isEqualTo(2);
    assertThat(config.keepJobDirectories()).isTrue();
  }

  @Test
  void unknownFlagIsRejected() {
    assertThatThrownBy(() -> AgentMain.parse(new String[] {"--colour", "red"}, Map.of()))
        .hasMessageContaining("--colour");
  }

  @Test
  void helpFlagAsksForUsage() {
    assertThat(AgentMain.parse(new String[] {"--help"}, Map.of())).isNull();
    assertThat(AgentMain.usage()).contains("--control-plane-url").contains("SAGEBRUSH_AGENT_TOKEN");
  }
}
