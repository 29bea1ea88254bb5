package io.sagebrush.algorithms.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

/**
 * Reads libsvm text ({@code label[:weight] index:value ...}, indices as given, 0-based columns)
 * into a dense data set whose absent entries are NaN (XGBoost's "missing"). {@code qid:} tokens and
 * {@code #} comments are ignored.
 */
public final class LibSvmReader {
  private LabelRule labelRule;

  /** Checks every label against the rule while reading. */
  public LibSvmReader withLabelRule(LabelRule rule) {
    this.labelRule = rule;
    return this;
  }

  /**
   * Reads the files in order.
   *
   * @param files the files
   * @param minCols the least column count of the result (e.g. the training set's), or 0
   * @throws DataFormatException naming the file and line of a malformed token
   */
  public Dataset read(List<NamedFile> files, int minCols) {
    FloatBuffer labels = new FloatBuffer();
    FloatBuffer weights = new FloatBuffer();
    boolean anyWeight = false;
    int[] rowStart = new int[1024];
    int[] idx = new int[4096];
    float[] val = new float[4096];
    int nnz = 0;
    int rows = 0;
    int maxIndex = -1;
    for (NamedFile f : files) {
      try (BufferedReader reader = Files.newBufferedReader(f.path(), StandardCharsets.UTF_8)) {
        String line;
        long lineNo = 0;
        while ((line = reader.readLine()) != null) {
          lineNo++;
          int hash = line.indexOf('#');
          if (hash >= 0) {
            line = line.substring(0, hash);
          }
          String[] tokens = line.trim().split("\\s+");
          if (tokens.length == 0 || tokens[0].isEmpty()) {
            continue;
          }
          String[] lw = tokens[0].split(":", 2);
          float label = number(lw[0], f, lineNo, "label");
          if (labelRule != null && !labelRule.accepts(label)) {
            throw new DataFormatException(
                f.name(), lineNo, "label " + lw[0] + " must be " + labelRule.expectation());
          }
          labels.add(label);
          if (lw.length == 2) {
            anyWeight = true;
            weights.add(number(lw[1], f, lineNo, "weight"));
          } else {
            weights.add(1f);
          }
          if (rows + 1 >= rowStart.length) {
            rowStart = Arrays.copyOf(rowStart, rowStart.length * 2);
          }
          rowStart[rows] = nnz;
          for (int t = 1; t < tokens.length; t++) {
            String tok = tokens[t];
            int colon = tok.indexOf(':');
            if (colon <= 0) {
              throw new DataFormatException(
                  f.name(), lineNo, "token '" + tok + "' is not index:value");
            }
            String key = tok.substring(0, colon);
            if (key.equals("qid")) {
              continue;
            }
            int index;
            try {
              index = Integer.parseInt(key);
            } catch (NumberFormatException e) {
              throw new DataFormatException(
                  f.name(), lineNo, "index '" + key + "' is not a non-negative integer");
            }
            if (index < 0) {
              throw new DataFormatException(
                  f.name(), lineNo, "index '" + key + "' is not a non-negative integer");
            }
            if (nnz == idx.length) {
              idx = Arrays.copyOf(idx, idx.length * 2);
              val = Arrays.copyOf(val, val.length * 2);
            }
            idx[nnz] = index;
            val[nnz] = number(tok.substring(colon + 1), f, lineNo, "value of index " + index);
            nnz++;
            maxIndex = Math.max(maxIndex, index);
          }
          rows++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f.name(), e);
      }
    }
    rowStart[rows] = nnz;
    int cols = Math.max(maxIndex + 1, minCols);
    float[] x = new float[rows * cols];
    Arrays.fill(x, Float.NaN);
    for (int r = 0; r < rows; r++) {
      for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
        x[r * cols + idx[k]] = val[k];
      }
    }
    return new Dataset(rows, cols, x, labels.toArray(), anyWeight ? weights.toArray() : null);
  }

  private static float number(String s, NamedFile f, long lineNo, String what) {
    try {
      return Float.parseFloat(s);
    } catch (NumberFormatException e) {
      throw new DataFormatException(f.name(), lineNo, what + " '" + s + "' is not a number");
    }
  }
}
