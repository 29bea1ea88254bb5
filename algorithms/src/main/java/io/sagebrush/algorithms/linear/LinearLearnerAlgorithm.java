package io.sagebrush.algorithms.linear;

import io.sagebrush.algorithms.Algorithm;
import io.sagebrush.algorithms.container.ChannelConfig;
import io.sagebrush.algorithms.container.MetricLog;
import io.sagebrush.algorithms.container.TrainingConfig;
import io.sagebrush.algorithms.data.Dataset;
import io.sagebrush.algorithms.data.Features;
import io.sagebrush.algorithms.data.FirstPartyChannels;
import io.sagebrush.algorithms.data.LabelRule;
import io.sagebrush.algorithms.serve.InvocationException;
import io.sagebrush.algorithms.serve.Predictor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SageMaker's Linear Learner: channels {@code train} (required), {@code validation} and {@code
 * test}; {@code text/csv} with the label first. Metrics: per-epoch {@code train}/{@code validation
 * objective_loss}, final {@code validation}/{@code test} quality metrics.
 */
public final class LinearLearnerAlgorithm implements Algorithm {
  @Override
  public String name() {
    return "linear-learner";
  }

  @Override
  public void train(TrainingConfig config, PrintStream log) {
    LinearHyperparameters hp = LinearHyperparameters.parse(config.hyperparameters());
    for (String unknown : config.hyperparameters().unknown(LinearHyperparameters.KNOWN)) {
      log.println("[warning] ignoring unknown hyperparameter '" + unknown + "'");
    }
    LabelRule rule = labelRule(hp);
    ChannelConfig trainChannel = config.requiredChannel("train");
    long readStart = System.nanoTime();
    Dataset train = FirstPartyChannels.read(trainChannel, 1, -1, rule);
    if (hp.featureDim() > 0) {
      Features.requireDim(train, hp.featureDim(), trainChannel);
    } else if (train.rows() == 0) {
      Features.requireDim(train, 1, trainChannel);
    }
    Dataset validation = optional(config, "validation", train.cols(), rule);
    Dataset test = optional(config, "test", train.cols(), rule);
    log.printf(
        "#progress: read %d records of %d features in %.3f s%n",
        train.rows(), train.cols(), (System.nanoTime() - readStart) / 1e9);
    MetricLog metrics = new MetricLog(log, config.currentHost());
    LinearModel model = new LinearTrainer(hp).fit(train, validation, metrics);
    if (validation != null) {
      report(metrics, "validation", LinearMetrics.evaluate(model, validation, hp));
    }
    if (test != null) {
      report(metrics, "test", LinearMetrics.evaluate(model, test, hp));
    }
    model.save(config.optMl().modelDir());
  }

  private static void report(MetricLog metrics, String channel, Map<String, Double> values) {
    values.forEach(
        (name, value) -> {
          if (LinearMetrics.isLoss(name)) {
            metrics.loss(channel, name, value);
          } else {
            metrics.score(channel, name, value);
          }
        });
  }

  private static Dataset optional(TrainingConfig config, String name, int cols, LabelRule rule) {
    ChannelConfig channel = config.channel(name);
    if (channel == null) {
      return null;
    }
    Dataset data = FirstPartyChannels.read(channel, 1, -1, rule);
    Features.requireDim(data, cols, channel);
    return data;
  }

  static LabelRule labelRule(LinearHyperparameters hp) {
    return switch (hp.predictorType()) {
      case "binary_classifier" -> LabelRule.of(v -> v == 0 || v == 1, "0 or 1 (binary_classifier)");
      case "multiclass_classifier" ->
          LabelRule.of(
              v -> v >= 0 && v < hp.numClasses() && v == Math.rint(v),
              "an integer in [0, "
                  + (hp.numClasses() - 1)
                  + "] (num_classes "
                  + hp.numClasses()
                  + ")");
      default -> LabelRule.of(v -> !Double.isNaN(v) && !Double.isInfinite(v), "a finite number");
    };
  }

  @Override
  public Predictor load(Path modelDir) {
    LinearModel model = LinearModel.load(modelDir);
    return new Predictor() {
      @Override
      public int featureDim() {
        return model.featureDim();
      }

      @Override
      public String defaultAccept() {
        return "application/json";
      }

      @Override
      public List<Map<String, Object>> predict(float[][] rows) {
        List<Map<String, Object>> out = new ArrayList<>(rows.length);
        for (float[] row : rows) {
          for (float v : row) {
            if (Float.isNaN(v)) {
              throw new InvocationException(
                  400, "Linear Learner records must not have missing values");
            }
          }
          out.add(model.predict(row));
        }
        return out;
      }
    };
  }
}
