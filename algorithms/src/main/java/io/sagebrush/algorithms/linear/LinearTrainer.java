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
    double[] xs = new double[d];
    double[] z = new double[outputs];
    double[] g = new double[outputs];
    double[] gradW = new double[size];
    double[] gradB = new double[outputs];
    // mini-batches are contiguous runs of records visited in shuffled order: memory stays
    // sequential within a batch (shuffling single records costs a cache miss per record)
    int batches = (n + hp.miniBatchSize() - 1) / hp.miniBatchSize();
    int[] order = new int[batches];
    for (int i = 0; i < batches; i++) {
      order[i] = i;
    }
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
      boolean logistic = hp.loss().equals("logistic");
      for (int batch : order) {
        int start = batch * hp.miniBatchSize();
        int end = Math.min(n, start + hp.miniBatchSize());
        java.util.Arrays.fill(gradW, 0);
        java.util.Arrays.fill(gradB, 0);
        for (int i = start; i < end; i++) {
          int off = i * d;
          for (int t = 0; t < d; t++) {
            xs[t] = (x[off + t] - mean[t]) / scale[t];
          }
          for (int c = 0; c < outputs; c++) {
            double s = b[c];
            int wo = c * d;
            for (int t = 0; t < d; t++) {
              s += w[wo + t] * xs[t];
            }
            z[c] = s;
          }
          double yn = hp.normalizeLabel() ? (y[i] - labelMean) / labelScale : y[i];
          if (logistic) {
            // one exp serves both the loss and the gradient on this hot path
            double m = z[0];
            double e = Math.exp(-Math.abs(m));
            double sig = m >= 0 ? 1 / (1 + e) : e / (1 + e);
            boolean positive = y[i] > 0.5;
            double signed = positive ? m : -m;
            epochLoss += (signed > 0 ? 0 : -signed) + Math.log1p(e);
            g[0] = sig - (positive ? 1 : 0);
          } else {
            epochLoss +=
                LinearMetrics.loss(hp.loss(), z, y[i], labelMean, labelScale, hp.huberDelta());
            gradient(z, yn, y[i], g, labelScale);
          }
          if (hp.predictorType().equals("binary_classifier") && y[i] > 0.5) {
            for (int c = 0; c < outputs; c++) {
              g[c] *= positiveWeight;
            }
          }
          for (int c = 0; c < outputs; c++) {
            if (g[c] == 0) {
              continue;
            }
            int wo = c * d;
            for (int t = 0; t < d; t++) {
              gradW[wo + t] += g[c] * xs[t];
            }
            gradB[c] += g[c];
          }
        }
        double inv = 1.0 / (end - start);
        for (int k = 0; k < size; k++) {
          gradW[k] = gradW[k] * inv + hp.wd() * w[k];
        }
        for (int c = 0; c < outputs; c++) {
          gradB[c] = hp.useBias() ? gradB[c] * inv : 0;
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
      double[] scores = new double[tuning.rows()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = best.score(tuning.row(i))[0];
      }
      double neutral = hp.loss().equals("hinge_loss") ? 0 : 0.5;
      double threshold = LinearMetrics.chooseThreshold(scores, tuning.labels(), hp, neutral);
      best = model(d, outputs, bestW, bestB, mean, scale, labelMean, labelScale, threshold);
    }
    return best;
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
