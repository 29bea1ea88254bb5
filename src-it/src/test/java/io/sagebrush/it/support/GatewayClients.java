package io.sagebrush.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * Clients of the inference gateway: the server generates a self-signed certificate once, so a
 * client trusts exactly that certificate (read from the server's home) and nothing else, as a user
 * would configure it.
 */
public final class GatewayClients {
  private GatewayClients() {}

  /** Trust managers that accept the certificates of the PEM file {@code certificate} only. */
  public static TrustManager[] trusting(Path certificate) {
    try (InputStream in = Files.newInputStream(certificate)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalStateException("no certificate in " + certificate);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("gateway-" + i++, c);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + certificate, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust " + certificate, e);
    }
  }

  /**
   * An Apache HTTP client trusting {@code certificate}, with room for the concurrent callers of a
   * load test and a read timeout above the gateway's 60 s model timeout.
   */
  public static SdkHttpClient httpClient(Path certificate) {
    TrustManager[] trust = trusting(certificate);
    return ApacheHttpClient.builder()
        .tlsTrustManagersProvider(() -> trust)
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(75))
        .build();
  }

  /** A runtime client for {@code gateway} that never retries (every failure is visible). */
  public static SageMakerRuntimeClient runtime(
      URI gateway, Path certificate, AwsCredentials credentials) {
    return SageMakerRuntimeClient.builder()
        .endpointOverride(gateway)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClient(httpClient(certificate))
        .overrideConfiguration(
            o ->
                o.apiCallTimeout(Duration.ofSeconds(90))
                    .retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }
}
