package io.sagebrush.protocol;

/** How an agent reaches the S3-compatible store; sent at registration. */
public record StorageSettings(String endpoint, String region, String accessKey, String secretKey) {}
