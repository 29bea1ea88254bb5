package io.sagebrush.agent.runtime;

import java.nio.file.Path;

/** Fetches one S3 object to a local file (the runtime needs it for script-mode source). */
@FunctionalInterface
public interface ObjectDownloader {
  /**
   * @param s3Uri {@code s3://bucket/key}
   * @param file the destination, overwritten
   * @throws RuntimeException naming the URI when the object cannot be fetched
   */
  void download(String s3Uri, Path file);
}
