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
}
