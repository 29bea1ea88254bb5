package io.sagebrush.api.embedded;

import io.sagebrush.api.config.AwsIdentityProperties;
import io.sagebrush.api.config.EmbeddedProperties;
import io.sagebrush.api.config.StorageProperties;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.artifacts.embedded.EmbeddedS3Server;
import io.sagebrush.protocol.StorageSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The S3 store: an external one when {@code sagebrush.api.storage.endpoint} is set, else an
 * embedded S3 server with data under {@code $SAGEBRUSH_HOME/s3} and the server's credentials.
 * Provides the {@link StorageSettings} agents receive at registration and the server's own {@link
 * ArtifactStore} client.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnExpression("'${sagebrush.api.storage.endpoint:}'.isBlank()")
  EmbeddedS3Server embeddedS3Server(EmbeddedProperties embedded, ServerCredentials credentials) {
    return EmbeddedS3Server.start(
        embedded.s3Host(),
        embedded.s3Port(),
        embedded.home().resolve("s3"),
        credentials.accessKey(),
        credentials.secretKey());
  }

  @Bean
  StorageSettings storageSettings(
      StorageProperties storage,
      ObjectProvider<EmbeddedS3Server> embedded,
      ServerCredentials credentials,
      AwsIdentityProperties identity) {
    String endpoint;
    if (notBlank(storage.advertisedEndpoint())) {
      endpoint = storage.advertisedEndpoint();
    } else if (storage.external()) {
      endpoint = storage.endpoint();
    } else {
      endpoint = embedded.getObject().endpoint().toString();
    }
    return new StorageSettings(
        endpoint,
        identity.region(),
        notBlank(storage.accessKey()) ? storage.accessKey() : credentials.accessKey(),
        notBlank(storage.secretKey()) ? storage.secretKey() : credentials.secretKey());
  }

  /** The server's own client (health checks); it talks to the store the server itself reaches. */
  @Bean(destroyMethod = "close")
  ArtifactStore artifactStore(
      StorageProperties storage,
      StorageSettings advertised,
      ObjectProvider<EmbeddedS3Server> embedded) {
    String endpoint =
        storage.external() ? storage.endpoint() : embedded.getObject().endpoint().toString();
    return ArtifactStore.connect(
        new StorageSettings(
            endpoint, advertised.region(), advertised.accessKey(), advertised.secretKey()));
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
