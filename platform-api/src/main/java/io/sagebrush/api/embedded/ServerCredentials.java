package io.sagebrush.api.embedded;

import java.nio.file.Path;

/**
 * The credentials the server accepts.
 *
 * @param accessKey SigV4 access key id (also for S3 and HTTP Basic)
 * @param secretKey SigV4 secret key
 * @param agentToken bearer token of the agent API
 * @param file where values not given in the environment are kept
 */
public record ServerCredentials(String accessKey, String secretKey, String agentToken, Path file) {

  @Override
  public String toString() {
    return "ServerCredentials[accessKey=" + accessKey + ", file=" + file + "]";
  }
}
