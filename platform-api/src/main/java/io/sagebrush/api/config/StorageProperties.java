package io.sagebrush.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * An external S3-compatible store (MinIO). When {@code endpoint} is blank the server runs an
 * embedded S3 server.
 *
 * @param endpoint e.g. {@code http://minio:9000} (SAGEBRUSH_S3_ENDPOINT)
 * @param advertisedEndpoint the endpoint agents are told to use, when it differs from what the
 *     server itself uses (blank: the same)
 * @param accessKey S3 access key, blank for the server's access key
 * @param secretKey S3 secret key, blank for the server's secret key
 */
@ConfigurationProperties("sagebrush.api.storage")
public record StorageProperties(
    String endpoint, String advertisedEndpoint, String accessKey, String secretKey) {

  /** True when an external store is configured. */
  public boolean external() {
    return endpoint != null && !endpoint.isBlank();
  }
}
