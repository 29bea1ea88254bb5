package io.sagebrush.algorithms.linear;

import io.sagebrush.algorithms.data.Dataset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** Objective loss and SageMaker's Linear Learner quality metrics of a model on a data set. */
public final class LinearMetrics {
  private LinearMetrics() {}

  /** Per-record loss of the model's margins against the label, in the label's own units. */
  static double loss(LinearModel m, double[] z, float y, double huberDelta) {
    return loss(m.loss(), z, y, m.labelMean(), m.labelScale(), huberDelta);
  }

  /** Per-record loss from the loss name and the label scaler. */
  static double loss(
      String loss, double[] z, float y, double labelMean, double labelScale, double huberDelta) {
    switch (loss) {
      case "squared_loss":
        {
          double p = z[0] * labelScale + labelMean;
          return (p - y) * (p - y);
        }
      case "absolute_loss":
        return Math.abs(z[0] * labelScale + labelMean - y);
      case "huber_loss":
        {
          double r = Math.abs(z[0] * labelScale + labelMean - y);
          return r <= huberDelta ? 0.5 * r * r : huberDelta * (r - 0.5 * huberDelta);
        }
      case "logistic":
        {
          double s = y > 0.5 ? z[0] : -z[0];
          return s > 0 ? Math.log1p(Math.exp(-s)) : -s + Math.log1p(Math.exp(s));
        }
      case "hinge_loss":
        return Math.max(0, 1 - (y > 0.5 ? 1 : -1) * z[0]);
      default:
        {
          double max = Double.NEGATIVE_INFINITY;
          for (double v : z) {
            max = Math.max(max, v);
          }
          double sum = 0;
          for (double v : z) {
            sum += Math.exp(v - max);
          }
          return -(z[(int) y] - max - Math.log(sum));
        }
    }
  }

  /** Mean objective loss over the data set. */
  public static double objectiveLoss(LinearModel m, Dataset data, double huberDelta) {
    double total = 0;
    double[] z = new double[m.outputs()];
    float[] x = data.features();
    for (int i = 0; i < data.rows(); i++) {
      m.margins(x, i * data.cols(), z);
      total += loss(m, z, data.labels()[i], huberDelta);
    }
    return total / Math.max(1, data.rows());
  }

  /**
   * The metrics SageMaker prints for a channel: {@code objective_loss} and, by predictor type,
   * {@code mse}/{@code rmse}/{@code absolute_loss}, {@code binary_classification_accuracy}/{@code
   * binary_f_beta}/{@code precision}/{@code recall}, or {@code multiclass_accuracy}/{@code
   * multiclass_top_k_accuracy}.
   */
  public static Map<String, Double> evaluate(
      LinearModel m, Dataset data, LinearHyperparameters hp) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("objective_loss", objectiveLoss(m, data, hp.huberDelta()));
    int n = data.rows();
    float[] y = data.labels();
    switch (m.predictorType()) {
      case "regressor" -> {
        double se = 0;
        double ae = 0;
        double[] z = new double[1];
        float[] x = data.features();
        for (int i = 0; i < n; i++) {
          double p = m.score1(x, i * data.cols(), z);
          se += (p - y[i]) * (p - y[i]);
          ae += Math.abs(p - y[i]);
        }
        out.put("mse", se / n);
        out.put("rmse", Math.sqrt(se / n));
        out.put("absolute_loss", ae / n);
      }
      case "binary_classifier" -> {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        double[] scores = scores(m, data);
        for (int i = 0; i < n; i++) {
          boolean predicted = scores[i] >= m.threshold();
          boolean actual = y[i] > 0.5;
          if (predicted && actual) {
            tp++;
          } else if (predicted) {
            fp++;
          } else if (actual) {
            fn++;
          } else {
            tn++;
          }
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double b2 = hp.fBeta() * hp.fBeta();
        double f =
            precision + recall == 0 ? 0 : (1 + b2) * precision * recall / (b2 * precision + recall);
        out.put("binary_classification_accuracy", (double) (tp + tn) / n);
        out.put("binary_f_beta", f);
        out.put("precision", precision);
        out.put("recall", recall);
      }
      default -> {
        long correct = 0;
        long topK = 0;
        int k = Math.min(hp.accuracyTopK(), m.outputs());
        for (int i = 0; i < n; i++) {
          double[] s = m.score(data.row(i));
          int label = (int) y[i];
          if (LinearModel.argmax(s) == label) {
            correct++;
          }
          int higher = 0;
          for (double v : s) {
            if (v > s[label]) {
              higher++;
            }
          }
          if (higher < k) {
            topK++;
          }
        }
        out.put("multiclass_accuracy", (double) correct / n);
        out.put("multiclass_top_k_accuracy", (double) topK / n);
      }
    }
    return out;
  }

  /** {@code score(row)[0]} of every row of a one-output model, in parallel chunks over the rows. */
  static double[] scores(LinearModel m, Dataset data) {
    int n = data.rows();
    int d = data.cols();
    float[] x = data.features();
    double[] out = new double[n];
    int chunks = Math.max(1, Math.min(64, n / 8192));
    IntStream.range(0, chunks)
        .parallel()
        .forEach(
            ch -> {
              double[] z = new double[1];
              int to = (int) ((long) n * (ch + 1) / chunks);
              for (int i = (int) ((long) n * ch / chunks); i < to; i++) {
                out[i] = m.score1(x, i * d, z);
              }
            });
    return out;
  }

  /**
   * Sorts ascending as {@link Arrays#sort(double[])} does (-0.0 before 0.0, NaN last): a radix sort
   * on the values' bits, 11 bits a pass, for large arrays (a threshold sweep sorts every training
   * score, and this is several times quicker there than a comparison sort).
   */
  static void sort(double[] a) {
    int n = a.length;
    if (n < 1 << 14) {
      Arrays.sort(a);
      return;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      long b = Double.doubleToLongBits(a[i]);
      // an unsigned order equal to the numeric order
      keys[i] = b >= 0 ? b ^ Long.MIN_VALUE : ~b;
    }
    long[] tmp = new long[n];
    int[] count = new int[(1 << 11) + 1];
    for (int shift = 0; shift < 64; shift += 11) {
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[(int) ((keys[i] >>> shift) & 0x7FF) + 1]++;
      }
      boolean oneBucket = false;
      for (int c = 1; c < count.length; c++) {
        if (count[c] == n) {
          oneBucket = true;
          break;
        }
      }
      if (oneBucket) {
        continue;
      }
      for (int c = 1; c < count.length; c++) {
        count[c] += count[c - 1];
      }
      for (int i = 0; i < n; i++) {
        tmp[count[(int) ((keys[i] >>> shift) & 0x7FF)]++] = keys[i];
      }
      long[] swap = keys;
      keys = tmp;
      tmp = swap;
    }
    for (int i = 0; i < n; i++) {
      long u = keys[i];
      a[i] = Double.longBitsToDouble(u < 0 ? u ^ Long.MIN_VALUE : ~u);
    }
  }

  /** True when the metric is a loss (printed as {@code <loss>}) rather than a score. */
  public static boolean isLoss(String metric) {
    return metric.equals("objective_loss")
        || metric.equals("mse")
        || metric.equals("rmse")
        || metric.equals("absolute_loss");
  }

  /**
   * The binary threshold on the score that best meets the criterion on the given scores.
   *
   * @param scores the model's scores
   * @param labels 0/1 labels
   */
  static double chooseThreshold(
      double[] scores, float[] labels, LinearHyperparameters hp, double neutral) {
    String criterion = hp.selectionCriteria();
    int n = scores.length;
    if (criterion.equals("loss_function") || n == 0) {
      return neutral;
    }
    // descending sweep over the distinct scores of both classes, primitive sorts only
    double[] pos = new double[n];
    double[] neg = new double[n];
    int positives = 0;
    int negatives = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] > 0.5) {
        pos[positives++] = scores[i];
      } else {
        neg[negatives++] = scores[i];
      }
    }
    pos = Arrays.copyOf(pos, positives);
    neg = Arrays.copyOf(neg, negatives);
    sort(pos);
    sort(neg);
    int pi = positives - 1;
    int ni = negatives - 1;
    double bestValue = Double.NEGATIVE_INFINITY;
    double best = neutral;
    long tp = 0;
    long fp = 0;
    double b2 = hp.fBeta() * hp.fBeta();
    while (pi >= 0 || ni >= 0) {
      double t =
          Math.max(
              pi >= 0 ? pos[pi] : Double.NEGATIVE_INFINITY,
              ni >= 0 ? neg[ni] : Double.NEGATIVE_INFINITY);
      while (pi >= 0 && pos[pi] == t) {
        tp++;
        pi--;
      }
      while (ni >= 0 && neg[ni] == t) {
        fp++;
        ni--;
      }
      double precision = (double) tp / (tp + fp);
      double recall = positives == 0 ? 0 : (double) tp / positives;
      double value =
          switch (criterion) {
            case "accuracy" -> (double) (tp + negatives - fp) / n;
            case "f_beta" ->
                precision + recall == 0
                    ? 0
                    : (1 + b2) * precision * recall / (b2 * precision + recall);
            case "precision_at_target_recall" -> recall >= hp.targetRecall() ? precision : -1;
            default -> precision >= hp.targetPrecision() ? recall : -1;
          };
      if (value > bestValue) {
        bestValue = value;
        double next =
            Math.max(
                pi >= 0 ? pos[pi] : Double.NEGATIVE_INFINITY,
                ni >= 0 ? neg[ni] : Double.NEGATIVE_INFINITY);
        best = next == Double.NEGATIVE_INFINITY ? t - 1 : (t + next) / 2;
      }
    }
    return best;
  }
}
