package io.sagebrush.artifacts;

/**
 * Raised when an S3 operation fails. The message names the URI involved; {@link #isNotFound()}
 * tells a missing object or bucket apart from other failures (network, credentials, server).
 */
public class ArtifactStoreException extends RuntimeException {
  private final boolean notFound;

  public ArtifactStoreException(String message, boolean notFound, Throwable cause) {
    super(message, cause);
    this.notFound = notFound;
  }

  public ArtifactStoreException(String message, Throwable cause) {
    this(message, false, cause);
  }

  public ArtifactStoreException(String message) {
    this(message, false, null);
  }

  /** A failure caused by a missing object, key or bucket. */
  public static ArtifactStoreException notFound(String message) {
    return new ArtifactStoreException(message, true, null);
  }

  /** True when the object or its bucket does not exist. */
  public boolean isNotFound() {
    return notFound;
  }
}
