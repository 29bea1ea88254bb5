package io.sagebrush.algorithms.kmeans;

import java.util.Random;
import java.util.stream.IntStream;

/** The numeric kernels: nearest centre, k-means++ seeding, Lloyd's iterations. */
final class KMeansMath {
  private KMeansMath() {}

  /**
   * Index of the nearest centre to row {@code off/d} of {@code x}; its squared distance in out[0].
   */
  static int nearest(float[] x, int off, double[] c, int k, int d, double[] out) {
    int best = 0;
    double bd = Double.MAX_VALUE;
    for (int j = 0; j < k; j++) {
      int co = j * d;
      double s = 0;
      for (int t = 0; t < d; t++) {
        double diff = x[off + t] - c[co + t];
        s += diff * diff;
      }
      if (s < bd) {
        bd = s;
        best = j;
      }
    }
    out[0] = bd;
    return best;
  }

  static int nearest(double[] x, int off, double[] c, int k, int d, double[] out) {
    int best = 0;
    double bd = Double.MAX_VALUE;
    for (int j = 0; j < k; j++) {
      int co = j * d;
      double s = 0;
      for (int t = 0; t < d; t++) {
        double diff = x[off + t] - c[co + t];
        s += diff * diff;
      }
      if (s < bd) {
        bd = s;
        best = j;
      }
    }
    out[0] = bd;
    return best;
  }

  /** k-means++ seeding on weighted points ({@code n} rows of {@code d}); returns k*d centres. */
  static double[] plusPlus(double[] pts, double[] w, int n, int d, int k, Random rng) {
    double[] c = new double[k * d];
    double[] dist = new double[n];
    int first = weightedPick(w, null, n, rng);
    System.arraycopy(pts, first * d, c, 0, d);
    for (int i = 0; i < n; i++) {
      dist[i] = sq(pts, i * d, c, 0, d);
    }
    for (int j = 1; j < k; j++) {
      int pick = weightedPick(w, dist, n, rng);
      System.arraycopy(pts, pick * d, c, j * d, d);
      for (int i = 0; i < n; i++) {
        dist[i] = Math.min(dist[i], sq(pts, i * d, c, j * d, d));
      }
    }
    return c;
  }

  /** k distinct points drawn with probability proportional to weight. */
  static double[] randomPick(double[] pts, double[] w, int n, int d, int k, Random rng) {
    double[] c = new double[k * d];
    double[] left = w.clone();
    for (int j = 0; j < k; j++) {
      int pick = weightedPick(left, null, n, rng);
      left[pick] = 0;
      System.arraycopy(pts, pick * d, c, j * d, d);
    }
    return c;
  }

  private static int weightedPick(double[] w, double[] dist, int n, Random rng) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += w[i] * (dist == null ? 1 : dist[i]);
    }
    if (total <= 0) {
      // all remaining mass is zero (duplicates): any point with weight will do
      for (int i = 0; i < n; i++) {
        if (w[i] > 0) {
          return i;
        }
      }
      return rng.nextInt(n);
    }
    double r = rng.nextDouble() * total;
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += w[i] * (dist == null ? 1 : dist[i]);
      if (acc >= r && w[i] > 0) {
        return i;
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      if (w[i] > 0) {
        return i;
      }
    }
    return n - 1;
  }

  static double sq(double[] a, int ao, double[] b, int bo, int d) {
    double s = 0;
    for (int t = 0; t < d; t++) {
      double diff = a[ao + t] - b[bo + t];
      s += diff * diff;
    }
    return s;
  }

  /** Weighted Lloyd's on small point sets; updates {@code c} in place and returns the SSE. */
  static double lloyd(
      double[] pts, double[] w, int n, int d, double[] c, int k, int maxIter, double tol) {
    double[] out = new double[1];
    double prev = Double.MAX_VALUE;
    double sse = 0;
    for (int iter = 0; iter < maxIter; iter++) {
      double[] sums = new double[k * d];
      double[] counts = new double[k];
      sse = 0;
      for (int i = 0; i < n; i++) {
        int j = nearest(pts, i * d, c, k, d, out);
        sse += w[i] * out[0];
        counts[j] += w[i];
        for (int t = 0; t < d; t++) {
          sums[j * d + t] += w[i] * pts[i * d + t];
        }
      }
      update(c, sums, counts, k, d);
      if (prev - sse <= tol * Math.max(sse, 1e-300)) {
        break;
      }
      prev = sse;
    }
    return sse(pts, w, n, d, c, k);
  }

  static double sse(double[] pts, double[] w, int n, int d, double[] c, int k) {
    double[] out = new double[1];
    double s = 0;
    for (int i = 0; i < n; i++) {
      nearest(pts, i * d, c, k, d, out);
      s += w[i] * out[0];
    }
    return s;
  }

  private static void update(double[] c, double[] sums, double[] counts, int k, int d) {
    for (int j = 0; j < k; j++) {
      if (counts[j] > 0) {
        for (int t = 0; t < d; t++) {
          c[j * d + t] = sums[j * d + t] / counts[j];
        }
      }
    }
  }

  /** Lloyd's on the full data in parallel chunks; updates {@code c} and returns the final SSE. */
  static double lloydFull(float[] x, int n, int d, double[] c, int k, int maxIter, double tol) {
    double prev = Double.MAX_VALUE;
    for (int iter = 0; iter < maxIter; iter++) {
      Partial p = assign(x, n, d, c, k);
      update(c, p.sums, p.counts, k, d);
      if (prev - p.sse <= tol * Math.max(p.sse, 1e-300)) {
        break;
      }
      prev = p.sse;
    }
    return assign(x, n, d, c, k).sse;
  }

  /** Sum of squared distances of every row to its nearest centre. */
  static double inertia(float[] x, int n, int d, double[] c, int k) {
    return assign(x, n, d, c, k).sse;
  }

  private record Partial(double[] sums, double[] counts, double sse) {}

  private static Partial assign(float[] x, int n, int d, double[] c, int k) {
    int chunks = Math.max(1, Math.min(64, n / 4096));
    return IntStream.range(0, chunks)
        .parallel()
        .mapToObj(
            ch -> {
              int from = (int) ((long) n * ch / chunks);
              int to = (int) ((long) n * (ch + 1) / chunks);
              double[] sums = new double[k * d];
              double[] counts = new double[k];
              double[] out = new double[1];
              double sse = 0;
              for (int i = from; i < to; i++) {
                int off = i * d;
                int j = nearest(x, off, c, k, d, out);
                sse += out[0];
                counts[j]++;
                int co = j * d;
                for (int t = 0; t < d; t++) {
                  sums[co + t] += x[off + t];
                }
              }
              return new Partial(sums, counts, sse);
            })
        .reduce(
            (a, b) -> {
              for (int i = 0; i < a.sums.length; i++) {
                a.sums[i] += b.sums[i];
              }
              for (int i = 0; i < a.counts.length; i++) {
                a.counts[i] += b.counts[i];
              }
              return new Partial(a.sums, a.counts, a.sse + b.sse);
            })
        .orElseThrow();
  }
}
