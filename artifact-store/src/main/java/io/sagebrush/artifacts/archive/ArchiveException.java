package io.sagebrush.artifacts.archive;

/**
 * Raised when an archive cannot be written or read, or when it holds an entry that would escape the
 * target directory. The message names the archive and, where one is at fault, the entry.
 */
public class ArchiveException extends RuntimeException {
  public ArchiveException(String message) {
    super(message);
  }

  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
