package io.sagebrush.api.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.api.config.CredentialsProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {
  @TempDir Path dir;

  @Test
  void missingCredentialsAreGeneratedOnceIntoAnOwnerOnlyFile() throws Exception {
    Path home = dir.resolve("home");
    ServerCredentials first =
        CredentialsFile.resolve(home, new CredentialsProperties(null, "", null));
    ServerCredentials second =
        CredentialsFile.resolve(home, new CredentialsProperties(null, null, null));

    assertThat(first.accessKey()).startsWith("SB").hasSize(20);
    assertThat(first.secretKey()).hasSize(40);
    assertThat(first.agentToken()).isNotBlank();
    assertThat(second).isEqualTo(first);
    assertThat(Files.getPosixFilePermissions(home.resolve("credentials")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void configuredValuesWinOverTheFileAndAreNotWrittenToIt() throws Exception {
    ServerCredentials generated =
        CredentialsFile.resolve(dir, new CredentialsProperties(null, null, null));

    ServerCredentials configured =
        CredentialsFile.resolve(dir, new CredentialsProperties("MYKEY", "mysecret", null));

    assertThat(configured.accessKey()).isEqualTo("MYKEY");
    assertThat(configured.secretKey()).isEqualTo("mysecret");
    assertThat(configured.agentToken()).isEqualTo(generated.agentToken());
    assertThat(Files.readString(dir.resolve("credentials"))).doesNotContain("mysecret");
  }

  @Test
  void theSecretIsNotInToString() {
    ServerCredentials credentials = new ServerCredentials("AK", "very-secret", "token", dir);

    assertThat(credentials.toString()).doesNotContain("very-secret").doesNotContain("token");
  }
}
