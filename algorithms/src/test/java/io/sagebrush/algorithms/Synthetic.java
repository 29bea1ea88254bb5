package io.sagebrush.algorithms;

import java.util.Locale;
import java.util.Random;

/** Seeded synthetic data sets as CSV text. */
public final class Synthetic {
  private Synthetic() {}

  /** {@code y = 3 + 2 x0 - x1 + 0.5 x2 + noise}, label first. */
  public static String regression(int rows, long seed, double noise) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      double x0 = r.nextGaussian();
      double x1 = r.nextGaussian() * 3;
      double x2 = r.nextDouble() * 10;
      double y = 3 + 2 * x0 - x1 + 0.5 * x2 + noise * r.nextGaussian();
      sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f%n", y, x0, x1, x2));
    }
    return sb.toString();
  }

  /** Two Gaussian classes separated along x0 + x1, label first (0/1). */
  public static String binary(int rows, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      int label = r.nextBoolean() ? 1 : 0;
      double shift = label == 1 ? 1.5 : -1.5;
      sb.append(
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%.6f%n",
              label,
              shift + r.nextGaussian(),
              shift + r.nextGaussian(),
              r.nextGaussian()));
    }
    return sb.toString();
  }

  /** Three classes around (0,0), (5,5), (-5,5), label first. */
  public static String multiclass(int rows, long seed) {
    Random r = new Random(seed);
    double[][] centres = {{0, 0}, {5, 5}, {-5, 5}};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      int c = r.nextInt(3);
      sb.append(
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f%n",
              c,
              centres[c][0] + r.nextGaussian(),
              centres[c][1] + r.nextGaussian()));
    }
    return sb.toString();
  }

  /** Four tight blobs at (±10, ±10), no label. */
  public static String blobs(int rows, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      int c = i % 4;
      double x = (c % 2 == 0 ? 10 : -10) + 0.5 * r.nextGaussian();
      double y = (c < 2 ? 10 : -10) + 0.5 * r.nextGaussian();
      sb.append(String.format(Locale.ROOT, "%.6f,%.6f%n", x, y));
    }
    return sb.toString();
  }

  /** The iris measurements bundled in test resources (scikit-learn's copy), without labels. */
  public static String irisFeatures() {
    try (var in = Synthetic.class.getResourceAsStream("/iris.csv")) {
      String[] lines =
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < lines.length; i++) {
        if (!lines[i].isBlank()) {
          sb.append(lines[i].substring(0, lines[i].lastIndexOf(','))).append('\n');
        }
      }
      return sb.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
