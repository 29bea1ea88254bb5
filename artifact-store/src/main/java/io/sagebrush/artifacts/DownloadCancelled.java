package io.sagebrush.artifacts;

/** A download stopped because its caller cancelled it; nothing was left at the target. */
public final class DownloadCancelled extends ArtifactStoreException {
  public DownloadCancelled(String message) {
    super(message);
  }
}
