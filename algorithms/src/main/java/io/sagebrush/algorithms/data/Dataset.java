package io.sagebrush.algorithms.data;

/**
 * A dense row-major matrix of features with optional labels and weights. Missing values (empty CSV
 * cells, absent libsvm indices) are {@link Float#NaN}.
 *
 * @param rows number of rows
 * @param cols number of features per row
 * @param features {@code rows * cols} values, row-major
 * @param labels one label per row, or null when the data has no label column
 * @param weights one instance weight per row, or null
 */
public record Dataset(int rows, int cols, float[] features, float[] labels, float[] weights) {
  /** The value at (row, col). */
  public float get(int row, int col) {
    return features[row * cols + col];
  }

  /** A copy of one row. */
  public float[] row(int row) {
    float[] r = new float[cols];
    System.arraycopy(features, row * cols, r, 0, cols);
    return r;
  }

  /** True when there are labels. */
  public boolean hasLabels() {
    return labels != null;
  }
}
