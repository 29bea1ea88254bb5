package io.sagebrush.algorithms.data;

import io.sagebrush.algorithms.container.AlgorithmException;

/** Bad training data; the message names the file and the line. */
public final class DataFormatException extends AlgorithmException {
  private static final long serialVersionUID = 1L;

  /**
   * @param file the file as the user knows it (channel/relative path)
   * @param line 1-based line number, or 0 for the whole file
   * @param problem what is wrong
   */
  public DataFormatException(String file, long line, String problem) {
    super("file " + file + (line > 0 ? " line " + line : "") + ": " + problem);
  }
}
