package io.sagebrush.gateway.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.sagebrush.gateway.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server's TLS context from the configuration: a PEM pair when given, else a PKCS#12 key
 * store when given, else the self-signed certificate under {@code <home>/tls} (generated once), or
 * an in-memory one without a home. BoringSSL serves TLS when its native library loads, the JDK
 * otherwise.
 */
public final class GatewayTls {
  private static final Logger log = LoggerFactory.getLogger(GatewayTls.class);

  private GatewayTls() {}

  /**
   * The server context.
   *
   * @throws IllegalStateException when the configured certificate or key cannot be read
   */
  public static SslContext serverContext(GatewayConfig config) {
    try {
      SslContextBuilder builder;
      if (config.certificatePem() != null) {
        builder =
            SslContextBuilder.forServer(
                config.certificatePem().toFile(), config.privateKeyPem().toFile());
      } else if (config.keyStore() != null) {
        builder = fromKeyStore(config);
      } else if (config.home() != null) {
        SelfSignedCertificate.PemPair pair =
            SelfSignedCertificate.ensure(config.home(), config.selfSignedNames());
        builder =
            SslContextBuilder.forServer(pair.certificate().toFile(), pair.privateKey().toFile());
      } else {
        SelfSignedCertificate.Generated generated =
            SelfSignedCertificate.generate(config.selfSignedNames());
        builder =
            SslContextBuilder.forServer(
                new java.io.ByteArrayInputStream(
                    generated
                        .certificatePem()
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                new java.io.ByteArrayInputStream(
                    generated.keyPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      }
      SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
      log.debug("Gateway TLS provider: {}", provider);
      return builder.sslProvider(provider).protocols("TLSv1.3", "TLSv1.2").build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalStateException("cannot set up the gateway's TLS: " + e.getMessage(), e);
    }
  }

  private static SslContextBuilder fromKeyStore(GatewayConfig config) {
    char[] password =
        config.keyStorePassword() == null ? new char[0] : config.keyStorePassword().toCharArray();
    try (InputStream in = Files.newInputStream(config.keyStore())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          PrivateKey key = (PrivateKey) store.getKey(alias, password);
          Certificate[] chain = store.getCertificateChain(alias);
          X509Certificate[] x509 =
              Arrays.stream(chain).map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
          return SslContextBuilder.forServer(key, x509);
        }
      }
      throw new IllegalStateException("no key entry in key store " + config.keyStore());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read key store " + config.keyStore(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read key store " + config.keyStore(), e);
    }
  }
}
