package io.sagebrush.algorithms.linear;

import io.sagebrush.algorithms.container.MetricLog;
import io.sagebrush.algorithms.data.Dataset;
import java.util.Random;

/**
 * Mini-batch training of a linear model.
 *
 * <ol>
 *   <li>Fit feature (and regression label) scalers on the first {@code num_point_for_scaler}
 *       records.
 *   <li>Each epoch: shuffle, then per mini-batch take the mean gradient of the loss plus {@code wd
 *       * w}, step with the optimizer (learning rate divided by sqrt(epoch)), apply the L1 proximal
 *       step.
 *   <li>After each epoch print the train (and validation) objective loss; stop when the monitored
 *       loss (validation when present) has not improved by {@code early_stopping_tolerance}
 *       (relative) for {@code early_stopping_patience} epochs; keep the best epoch's weights.
 *   <li>Binary classifiers choose the threshold by {@code
 *       binary_classifier_model_selection_criteria} on the validation (else train) data.
 * </ol>
 */
public final class LinearTrainer {
  private final LinearHyperparameters hp;

  /**
   * @param hp validated hyperparameters
   */
  public LinearTrainer(LinearHyperparameters hp) {
    this.hp = hp;
  }

  /** Trains; {@code validation} may be null. */
  public LinearModel fit(Dataset train, Dataset validation, MetricLog metrics) {
    int n = train.rows();
    int d = train.cols();
    int outputs = hp.predictorType().equals("multiclass_classifier") ? hp.numClasses() : 1;
    float[] x = train.features();
    float[] y = train.labels();
    int sample = Math.min(n, hp.numPointForScaler());
    double[] mean = new double[d];
    double[] scale = new double[d];
    java.util.Arrays.fill(scale, 1);
    if (hp.normalizeData()) {
      for (int i = 0; i < sample; i++) {
        for (int t = 0; t < d; t++) {
          mean[t] += x[i * d + t];
        }
      }
      for (int t = 0; t < d; t++) {
        mean[t] /= sample;
      }
      double[] var = new double[d];
      for (int i = 0; i < sample; i++) {
        for (int t = 0; t < d; t++) {
          double diff = x[i * d + t] - mean[t];
          var[t] += diff * diff;
        }
      }
      for (int t = 0; t < d; t++) {
        double s = Math.sqrt(var[t] / sample);
        scale[t] = s > 1e-12 ? s : 1;
      }
    }
    double labelMean = 0;
    double labelScale = 1;
    if (hp.normalizeLabel()) {
      for (int i = 0; i < sample; i++) {
        labelMean += y[i];
      }
      labelMean /= sample;
      double v = 0;
      for (int i = 0; i < sample; i++) {
        v += (y[i] - labelMean) * (y[i] - labelMean);
      }
      double s = Math.sqrt(v / sample);
      labelScale = s > 1e-12 ? s : 1;
    }
    double positiveWeight = hp.positiveWeightMult();
    if (positiveWeight < 0) {
      long pos = 0;
      for (float l : y) {
        if (l > 0.5) {
          pos++;
        }
      }
      positiveWeight = pos == 0 ? 1 : (double) (n - pos) / pos;
    }

    int size = outputs * d;
    double[] w = new double[size];
    double[] b = new double[outputs];
    Optimizer opt = new Optimizer(hp, size + outputs);
    double[] gradW = new double[size];
    double[] gradB = new double[outputs];
    // the weights folded with the scaler, so that a record's margin is we . x + be on the raw
    // features (no per-value standardisation in the inner loops)
    double[] we = new double[size];
    double[] be = new double[outputs];
    // mini-batches are contiguous runs of records visited in shuffled order: memory stays
    // sequential within a batch (shuffling single records costs a cache miss per record)
    int batchSize = hp.miniBatchSize();
    int batches = (n + batchSize - 1) / batchSize;
    int[] order = new int[batches];
    for (int i = 0; i < batches; i++) {
      order[i] = i;
    }
    // one thread: forking half of each mini-batch to a second one measured no faster on two cores
    // (a batch is tens of microseconds of work, about what the hand-over costs)
    Part kernel = new Part(d, outputs, x, y, positiveWeight, labelMean, labelScale, we, be);
    Random rng = new Random(hp.seed());
    double bestLoss = Double.MAX_VALUE;
    double[] bestW = w.clone();
    double[] bestB = b.clone();
    int wait = 0;
    for (int epoch = 1; epoch <= hp.epochs(); epoch++) {
      for (int i = batches - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      double lr = hp.learningRate() / Math.sqrt(epoch);
      double epochLoss = 0;
      for (int batch : order) {
        int start = batch * batchSize;
        int end = Math.min(n, start + batchSize);
        for (int c = 0; c < outputs; c++) {
          double bias = b[c];
          int wo = c * d;
          for (int t = 0; t < d; t++) {
            double v = w[wo + t] / scale[t];
            we[wo + t] = v;
            bias -= v * mean[t];
          }
          be[c] = bias;
        }
        kernel.run(start, end);
        epochLoss += kernel.loss;
        // d/dw of g * (x - mean) / scale summed over the batch, from sums of g * x and of g
        double[] acc = kernel.acc;
        double inv = 1.0 / (end - start);
        for (int c = 0; c < outputs; c++) {
          double gs = kernel.gsum[c];
          int wo = c * d;
          for (int t = 0; t < d; t++) {
            int k = wo + t;
            gradW[k] = (acc[k] - mean[t] * gs) / scale[t] * inv + hp.wd() * w[k];
          }
          gradB[c] = hp.useBias() ? gs * inv : 0;
        }
        opt.step(w, gradW, b, gradB, lr);
        if (hp.l1() > 0) {
          double shrink = lr * hp.l1();
          for (int k = 0; k < size; k++) {
            w[k] = Math.signum(w[k]) * Math.max(0, Math.abs(w[k]) - shrink);
          }
        }
      }
      LinearModel current = model(d, outputs, w, b, mean, scale, labelMean, labelScale, 0.5);
      // as SageMaker reports it: the mean loss over the epoch's mini-batches, before each step
      double trainLoss = epochLoss / n;
      metrics.epochLoss(epoch, "train", "objective_loss", trainLoss);
      double monitored = trainLoss;
      if (validation != null) {
        monitored = LinearMetrics.objectiveLoss(current, validation, hp.huberDelta());
        metrics.epochLoss(epoch, "validation", "objective_loss", monitored);
      }
      if (monitored < bestLoss * (1 - hp.earlyStoppingTolerance())
          || bestLoss == Double.MAX_VALUE) {
        wait = 0;
      } else {
        wait++;
      }
      if (monitored < bestLoss) {
        bestLoss = monitored;
        bestW = w.clone();
        bestB = b.clone();
      }
      if (wait >= hp.earlyStoppingPatience()) {
        metrics.out().println("#progress: early stopping after epoch " + epoch);
        break;
      }
    }
    LinearModel best = model(d, outputs, bestW, bestB, mean, scale, labelMean, labelScale, 0.5);
    if (hp.predictorType().equals("binary_classifier")) {
      Dataset tuning = validation != null ? validation : train;
      double[] scores = LinearMetrics.scores(best, tuning);
      double neutral = hp.loss().equals("hinge_loss") ? 0 : 0.5;
      double threshold = LinearMetrics.chooseThreshold(scores, tuning.labels(), hp, neutral);
      best = model(d, outputs, bestW, bestB, mean, scale, labelMean, labelScale, threshold);
    }
    return best;
  }

  /**
   * The loss and gradient sums of a range of a mini-batch's records: {@code acc} = sum of g * x per
   * weight, {@code gsum} = sum of g per output, where g is d loss / d margin.
   */
  private final class Part {
    final int d;
    final int outputs;
    final float[] x;
    final float[] y;
    final double positiveWeight;
    final double labelMean;
    final double labelScale;
    final double[] we;
    final double[] be;
    final boolean logistic = hp.loss().equals("logistic");
    final boolean binary = hp.predictorType().equals("binary_classifier");
    final double[] acc;
    final double[] gsum;
    final double[] z;
    final double[] g;
    double loss;

    Part(
        int d,
        int outputs,
        float[] x,
        float[] y,
        double positiveWeight,
        double labelMean,
        double labelScale,
        double[] we,
        double[] be) {
      this.d = d;
      this.outputs = outputs;
      this.x = x;
      this.y = y;
      this.positiveWeight = positiveWeight;
      this.labelMean = labelMean;
      this.labelScale = labelScale;
      this.we = we;
      this.be = be;
      this.acc = new double[outputs * d];
      this.gsum = new double[outputs];
      this.z = new double[outputs];
      this.g = new double[outputs];
    }

    void run(int from, int to) {
      java.util.Arrays.fill(acc, 0);
      java.util.Arrays.fill(gsum, 0);
      double sum = 0;
      if (logistic && outputs == 1) {
        double b0 = be[0];
        double pw = binary ? positiveWeight : 1;
        for (int i = from; i < to; i++) {
          int off = i * d;
          double m = b0 + dot(we, 0, x, off, d);
          // one exp serves both the loss and the gradient on this hot path; log(1 + e) for
          // e in (0, 1] is exact enough for a mean loss and much cheaper than log1p
          double e = Math.exp(-Math.abs(m));
          double sig = m >= 0 ? 1 / (1 + e) : e / (1 + e);
          boolean positive = y[i] > 0.5;
          double signed = positive ? m : -m;
          sum += (signed > 0 ? 0 : -signed) + Math.log(1 + e);
          double gi = positive ? (sig - 1) * pw : sig;
          gsum[0] += gi;
          for (int t = 0; t < d; t++) {
            acc[t] += gi * x[off + t];
          }
        }
        loss = sum;
        return;
      }
      for (int i = from; i < to; i++) {
        int off = i * d;
        for (int c = 0; c < outputs; c++) {
          z[c] = be[c] + dot(we, c * d, x, off, d);
        }
        double yn = hp.normalizeLabel() ? (y[i] - labelMean) / labelScale : y[i];
        sum += LinearMetrics.loss(hp.loss(), z, y[i], labelMean, labelScale, hp.huberDelta());
        gradient(z, yn, y[i], g, labelScale);
        if (binary && y[i] > 0.5) {
          for (int c = 0; c < outputs; c++) {
            g[c] *= positiveWeight;
          }
        }
        for (int c = 0; c < outputs; c++) {
          double gc = g[c];
          if (gc == 0) {
            continue;
          }
          int wo = c * d;
          for (int t = 0; t < d; t++) {
            acc[wo + t] += gc * x[off + t];
          }
          gsum[c] += gc;
        }
      }
      loss = sum;
    }
  }

  /** w[wo..wo+d) . x[off..off+d) with four partial sums. */
  static double dot(double[] w, int wo, float[] x, int off, int d) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int t = 0;
    for (; t + 3 < d; t += 4) {
      s0 += w[wo + t] * x[off + t];
      s1 += w[wo + t + 1] * x[off + t + 1];
      s2 += w[wo + t + 2] * x[off + t + 2];
      s3 += w[wo + t + 3] * x[off + t + 3];
    }
    for (; t < d; t++) {
      s0 += w[wo + t] * x[off + t];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private LinearModel model(
      int d,
      int outputs,
      double[] w,
      double[] b,
      double[] mean,
      double[] scale,
      double lm,
      double ls,
      double threshold) {
    return new LinearModel(
        hp.predictorType(),
        hp.loss(),
        d,
        outputs,
        w.clone(),
        b.clone(),
        mean,
        scale,
        lm,
        ls,
        threshold);
  }

  /** d loss / d margin for one record. */
  private void gradient(double[] z, double yn, float y, double[] g, double labelScale) {
    switch (hp.loss()) {
      case "squared_loss" -> g[0] = z[0] - yn;
      case "absolute_loss" -> g[0] = Math.signum(z[0] - yn);
      case "huber_loss" -> {
        double delta = hp.huberDelta() / labelScale;
        g[0] = Math.max(-delta, Math.min(delta, z[0] - yn));
      }
      case "logistic" -> g[0] = LinearModel.sigmoid(z[0]) - (y > 0.5 ? 1 : 0);
      case "hinge_loss" -> {
        double s = y > 0.5 ? 1 : -1;
        g[0] = s * z[0] < 1 ? -s : 0;
      }
      default -> {
        double[] p = LinearModel.softmax(z);
        for (int c = 0; c < z.length; c++) {
          g[c] = p[c] - (c == (int) y ? 1 : 0);
        }
      }
    }
  }

  /** SGD with momentum, Adam or RMSProp over weights then biases. */
  private static final class Optimizer {
    private final LinearHyperparameters hp;
    private final double[] m;
    private final double[] v;
    private long t;
    private double correction1 = 1;
    private double correction2 = 1;

    Optimizer(LinearHyperparameters hp, int size) {
      this.hp = hp;
      this.m = new double[size];
      this.v = new double[size];
    }

    void step(double[] w, double[] gw, double[] b, double[] gb, double lr) {
      t++;
      correction1 = 1 - Math.pow(hp.beta1(), t);
      correction2 = 1 - Math.pow(hp.beta2(), t);
      for (int k = 0; k < w.length; k++) {
        w[k] -= delta(k, gw[k], lr);
      }
      for (int c = 0; c < b.length; c++) {
        b[c] -= delta(w.length + c, gb[c], lr);
      }
    }

    private double delta(int k, double grad, double lr) {
      switch (hp.optimizer()) {
        case "sgd":
          m[k] = hp.momentum() * m[k] + grad;
          return lr * m[k];
        case "rmsprop":
          v[k] = 0.9 * v[k] + 0.1 * grad * grad;
          return lr * grad / (Math.sqrt(v[k]) + 1e-8);
        default:
          m[k] = hp.beta1() * m[k] + (1 - hp.beta1()) * grad;
          v[k] = hp.beta2() * v[k] + (1 - hp.beta2()) * grad * grad;
          double mh = m[k] / correction1;
          double vh = v[k] / correction2;
          return lr * mh / (Math.sqrt(vh) + 1e-8);
      }
    }
  }
}
