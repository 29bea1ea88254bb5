package io.sagebrush.algorithms.kmeans;

import java.util.Random;
import java.util.stream.IntStream;

/** The numeric kernels: nearest centre, k-means++ seeding, Lloyd's iterations. */
final class KMeansMath {
  private KMeansMath() {}

  /**
   * Index of the nearest centre to row {@code off/d} of {@code x}; its squared distance in out[0].
   * Four centres at a time with independent sums (each sum in the same order as one at a time, so
   * the distances are bit-identical; ties go to the lower index as before).
   */
  static int nearest(float[] x, int off, double[] c, int k, int d, double[] out) {
    int best = 0;
    double bd = Double.MAX_VALUE;
    int j = 0;
    for (; j + 3 < k; j += 4) {
      int c0 = j * d;
      int c1 = c0 + d;
      int c2 = c1 + d;
      int c3 = c2 + d;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int t = 0; t < d; t++) {
        double v = x[off + t];
        double e0 = v - c[c0 + t];
        double e1 = v - c[c1 + t];
        double e2 = v - c[c2 + t];
        double e3 = v - c[c3 + t];
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      if (s0 < bd) {
        bd = s0;
        best = j;
      }
      if (s1 < bd) {
        bd = s1;
        best = j + 1;
      }
      if (s2 < bd) {
        bd = s2;
        best = j + 2;
      }
      if (s3 < bd) {
        bd = s3;
        best = j + 3;
      }
    }
    if (j + 1 < k) {
      int c0 = j * d;
      int c1 = c0 + d;
      double s0 = 0;
      double s1 = 0;
      for (int t = 0; t < d; t++) {
        double v = x[off + t];
        double e0 = v - c[c0 + t];
        double e1 = v - c[c1 + t];
        s0 += e0 * e0;
        s1 += e1 * e1;
      }
      if (s0 < bd) {
        bd = s0;
        best = j;
      }
      if (s1 < bd) {
        bd = s1;
        best = j + 1;
      }
      j += 2;
    }
    if (j < k) {
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

  /**
   * Lloyd's on the full data in parallel chunks; updates {@code c}. The first pass measures every
   * distance; later passes skip the search for a row whose centre is provably still its nearest
   * (Hamerly's bound: the distance to the assigned centre is at most a lower bound on the distance
   * to any other, kept as the second-nearest distance minus how far the centres have moved since),
   * so they give the same assignments and sums as full passes at a fraction of the distances.
   *
   * @return the final sum of squared distances and the iterations run
   */
  static Refined lloydFull(float[] x, int n, int d, double[] c, int k, int maxIter, double tol) {
    int[] assigned = new int[n];
    double[] lower = new double[n];
    double[] old = new double[k * d];
    double[] shift = null;
    double prev = Double.MAX_VALUE;
    int iter = 0;
    while (iter < maxIter) {
      Partial p = assignBounded(x, n, d, c, k, assigned, lower, shift);
      System.arraycopy(c, 0, old, 0, c.length);
      update(c, p.sums, p.counts, k, d);
      shift = shifts(old, c, k, d);
      iter++;
      if (prev - p.sse <= tol * Math.max(p.sse, 1e-300)) {
        break;
      }
      prev = p.sse;
    }
    return new Refined(assignBounded(x, n, d, c, k, assigned, lower, shift).sse, iter);
  }

  /** How far each centre moved. */
  private static double[] shifts(double[] old, double[] c, int k, int d) {
    double[] s = new double[k];
    for (int j = 0; j < k; j++) {
      s[j] = Math.sqrt(sq(old, j * d, c, j * d, d));
    }
    return s;
  }

  /**
   * One assignment pass with bounds: {@code shift} null measures everything and sets {@code
   * assigned} and {@code lower}; otherwise the bounds are moved by {@code shift} first.
   */
  private static Partial assignBounded(
      float[] x, int n, int d, double[] c, int k, int[] assigned, double[] lower, double[] shift) {
    // the largest shift, and the largest of the others for rows assigned to the centre with it
    int maxJ = -1;
    double max = 0;
    double second = 0;
    if (shift != null) {
      for (int j = 0; j < k; j++) {
        if (shift[j] > max) {
          second = max;
          max = shift[j];
          maxJ = j;
        } else if (shift[j] > second) {
          second = shift[j];
        }
      }
    }
    int fMaxJ = maxJ;
    double fMax = max;
    double fSecond = second;
    int chunks = Math.max(1, Math.min(64, n / 4096));
    return IntStream.range(0, chunks)
        .parallel()
        .mapToObj(
            ch -> {
              int from = (int) ((long) n * ch / chunks);
              int to = (int) ((long) n * (ch + 1) / chunks);
              double[] sums = new double[k * d];
              double[] counts = new double[k];
              double[] out = new double[2];
              double sse = 0;
              for (int i = from; i < to; i++) {
                int off = i * d;
                int j;
                double dist;
                if (shift != null) {
                  j = assigned[i];
                  double l = lower[i] - (j == fMaxJ ? fSecond : fMax);
                  dist = sq(x, off, c, j * d, d);
                  if (l > 0 && dist <= l * l) {
                    lower[i] = l;
                  } else {
                    j = nearest2(x, off, c, k, d, out);
                    dist = out[0];
                    assigned[i] = j;
                    lower[i] = Math.sqrt(out[1]);
                  }
                } else {
                  j = nearest2(x, off, c, k, d, out);
                  dist = out[0];
                  assigned[i] = j;
                  lower[i] = Math.sqrt(out[1]);
                }
                sse += dist;
                counts[j]++;
                int co = j * d;
                for (int t = 0; t < d; t++) {
                  sums[co + t] += x[off + t];
                }
              }
              return new Partial(sums, counts, sse);
            })
        .reduce(KMeansMath::merge)
        .orElseThrow();
  }

  private static Partial merge(Partial a, Partial b) {
    for (int i = 0; i < a.sums.length; i++) {
      a.sums[i] += b.sums[i];
    }
    for (int i = 0; i < a.counts.length; i++) {
      a.counts[i] += b.counts[i];
    }
    return new Partial(a.sums, a.counts, a.sse + b.sse);
  }

  /** Squared distance of row {@code off/d} of {@code x} to the centre at {@code co}. */
  static double sq(float[] x, int off, double[] c, int co, int d) {
    double s = 0;
    for (int t = 0; t < d; t++) {
      double diff = x[off + t] - c[co + t];
      s += diff * diff;
    }
    return s;
  }

  /**
   * As {@link #nearest(float[], int, double[], int, int, double[])}, also giving the second
   * smallest squared distance in out[1] ({@link Double#MAX_VALUE} when k is 1).
   */
  static int nearest2(float[] x, int off, double[] c, int k, int d, double[] out) {
    int best = 0;
    double bd = Double.MAX_VALUE;
    double sd = Double.MAX_VALUE;
    int j = 0;
    for (; j + 3 < k; j += 4) {
      int c0 = j * d;
      int c1 = c0 + d;
      int c2 = c1 + d;
      int c3 = c2 + d;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int t = 0; t < d; t++) {
        double v = x[off + t];
        double e0 = v - c[c0 + t];
        double e1 = v - c[c1 + t];
        double e2 = v - c[c2 + t];
        double e3 = v - c[c3 + t];
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      if (s0 < bd) {
        sd = bd;
        bd = s0;
        best = j;
      } else if (s0 < sd) {
        sd = s0;
      }
      if (s1 < bd) {
        sd = bd;
        bd = s1;
        best = j + 1;
      } else if (s1 < sd) {
        sd = s1;
      }
      if (s2 < bd) {
        sd = bd;
        bd = s2;
        best = j + 2;
      } else if (s2 < sd) {
        sd = s2;
      }
      if (s3 < bd) {
        sd = bd;
        bd = s3;
        best = j + 3;
      } else if (s3 < sd) {
        sd = s3;
      }
    }
    for (; j < k; j++) {
      double s = sq(x, off, c, j * d, d);
      if (s < bd) {
        sd = bd;
        bd = s;
        best = j;
      } else if (s < sd) {
        sd = s;
      }
    }
    out[0] = bd;
    out[1] = sd;
    return best;
  }

  /**
   * @param sse sum of squared distances of the data to the final centres
   * @param iterations Lloyd iterations run
   */
  record Refined(double sse, int iterations) {}

  /**
   * The nearest centre of rows {@code [from, to)} into {@code out[i - from]}, in parallel chunks
   * when there are enough rows.
   */
  static void assignBatch(float[] x, int from, int to, int d, double[] c, int k, int[] out) {
    int rows = to - from;
    int chunks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), rows / 1024));
    if (chunks == 1) {
      assignRange(x, from, from, to, d, c, k, out);
      return;
    }
    IntStream.range(0, chunks)
        .parallel()
        .forEach(
            ch ->
                assignRange(
                    x,
                    from,
                    from + (int) ((long) rows * ch / chunks),
                    from + (int) ((long) rows * (ch + 1) / chunks),
                    d,
                    c,
                    k,
                    out));
  }

  private static void assignRange(
      float[] x, int base, int from, int to, int d, double[] c, int k, int[] out) {
    double[] dist = new double[1];
    for (int i = from; i < to; i++) {
      out[i - base] = nearest(x, i * d, c, k, d, dist);
    }
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
        .reduce(KMeansMath::merge)
        .orElseThrow();
  }
}
