package io.sagebrush.gateway.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.sagebrush.gateway.GatewayConfig;
import io.sagebrush.gateway.InferenceGateway;
import io.sagebrush.gateway.routing.RoutingTableHolder;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/** A gateway on a free loopback port for the module's ITs, and SDK clients that trust it. */
public final class TestGateways {
  public static final String ACCOUNT = "123456789012";

  private TestGateways() {}

  /** HTTPS with a certificate generated under {@code home}, two event loops. */
  public static InferenceGateway start(
      Path home,
      String access,
      String secret,
      Duration modelTimeout,
      RoutingTableHolder routes,
      MeterRegistry registry) {
    return InferenceGateway.start(
        GatewayConfig.builder()
            .bindAddress("127.0.0.1")
            .port(0)
            .home(home)
            .credentials(access, secret)
            .accountId(ACCOUNT)
            .modelTimeout(modelTimeout)
            .ioThreads(2)
            .build(),
        routes,
        registry);
  }

  /** A runtime client of {@code gateway} over {@code http}, without retries. */
  public static SageMakerRuntimeClient runtime(
      InferenceGateway gateway, SdkHttpClient http, String access, String secret) {
    return SageMakerRuntimeClient.builder()
        .endpointOverride(URI.create("https://localhost:" + gateway.port()))
        .region(Region.EU_WEST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
        .httpClient(http)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** Trusts the certificate a gateway generated under {@code home}. */
  public static TrustManager[] trusting(Path home) {
    try (InputStream in = Files.newInputStream(home.resolve("tls/gateway-cert.pem"))) {
      X509Certificate certificate =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("gateway", certificate);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
