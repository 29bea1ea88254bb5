package io.sagebrush.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ServingSettingsTest {
  @Test
  void theAddressUsesTheAdvertisedHost() {
    assertThat(ServingSettings.of("gpu-7.lab", "0.0.0.0").address(32771))
        .isEqualTo("http://gpu-7.lab:32771");
    assertThat(ServingSettings.of("fd00::7", "::").address(80)).isEqualTo("http://[fd00::7]:80");
  }

  @Test
  void theAgentPingsLoopbackWhenPublishedOnTheWildcard() {
    ServingSettings settings = ServingSettings.of("gpu-7.lab", "0.0.0.0");
    assertThat(settings.pingUrl(InetSocketAddress.createUnresolved("0.0.0.0", 4000)))
        .hasToString("http://127.0.0.1:4000");
    assertThat(settings.pingUrl(InetSocketAddress.createUnresolved("10.0.0.5", 4000)))
        .hasToString("http://10.0.0.5:4000");
  }

  @Test
  void archivesAreToldByTheirKey() {
    assertThat(DownloadModelStage.isArchiveName("a/model.tar.gz")).isTrue();
    assertThat(DownloadModelStage.isArchiveName("a/MODEL.TGZ")).isTrue();
    assertThat(DownloadModelStage.isArchiveName("a/model.bin")).isFalse();
  }
}
