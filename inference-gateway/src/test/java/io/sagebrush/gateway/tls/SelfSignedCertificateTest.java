package io.sagebrush.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

  @Test
  void theCertificateIsGeneratedOnceAndReusedOnTheNextStart(@TempDir Path home) throws Exception {
    SelfSignedCertificate.PemPair first = SelfSignedCertificate.ensure(home, List.of("gateway"));
    String certificate = Files.readString(first.certificate());
    String key = Files.readString(first.privateKey());

    SelfSignedCertificate.PemPair second = SelfSignedCertificate.ensure(home, List.of("gateway"));

    assertThat(first.certificate()).isEqualTo(home.resolve("tls/gateway-cert.pem"));
    assertThat(Files.readString(second.certificate())).isEqualTo(certificate);
    assertThat(Files.readString(second.privateKey())).isEqualTo(key);
    assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.privateKey())))
        .isEqualTo("rw-------");
  }

  @Test
  void theCertificateNamesLocalhostTheLoopbackAddressesAndTheExtraNames(@TempDir Path home)
      throws Exception {
    SelfSignedCertificate.PemPair pair = SelfSignedCertificate.ensure(home, List.of("gateway"));
    X509Certificate certificate;
    try (InputStream in = Files.newInputStream(pair.certificate())) {
      certificate =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    List<String> names =
        certificate.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
    assertThat(names).contains("localhost", "127.0.0.1", "gateway");
    assertThat(names).anyMatch(n -> n.startsWith("0:0:0:0:0:0:0:1"));
    certificate.verify(certificate.getPublicKey());
  }

  @Test
  void aNewConfiguredNameGetsANewCertificate(@TempDir Path home) throws Exception {
    SelfSignedCertificate.PemPair first = SelfSignedCertificate.ensure(home, List.of("gateway"));
    String before = Files.readString(first.certificate());

    SelfSignedCertificate.PemPair second =
        SelfSignedCertificate.ensure(home, List.of("gateway", "10.1.2.3", "other.example"));
    String after = Files.readString(second.certificate());

    assertThat(after).isNotEqualTo(before);
    X509Certificate certificate;
    try (InputStream in = Files.newInputStream(second.certificate())) {
      certificate =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    List<String> names =
        certificate.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
    assertThat(names).contains("gateway", "10.1.2.3", "other.example");
    // the same names again: kept
    SelfSignedCertificate.ensure(home, List.of("other.example", "gateway", "10.1.2.3"));
    assertThat(Files.readString(second.certificate())).isEqualTo(after);
  }

  @Test
  void aKeyThatDoesNotBelongToTheCertificateGetsANewPair(@TempDir Path home) throws Exception {
    SelfSignedCertificate.PemPair pair = SelfSignedCertificate.ensure(home, List.of());
    String before = Files.readString(pair.certificate());
    // as if a crash had left the new key beside the old certificate
    Files.writeString(pair.privateKey(), SelfSignedCertificate.generate(List.of()).keyPem());
    assertThat(SelfSignedCertificate.reusable(pair.certificate(), pair.privateKey(), List.of()))
        .contains("does not belong");

    SelfSignedCertificate.ensure(home, List.of());

    assertThat(Files.readString(pair.certificate())).isNotEqualTo(before);
    assertThat(SelfSignedCertificate.reusable(pair.certificate(), pair.privateKey(), List.of()))
        .isNull();
  }
}
