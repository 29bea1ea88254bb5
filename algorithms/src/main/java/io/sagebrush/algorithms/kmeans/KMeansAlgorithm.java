package io.sagebrush.algorithms.kmeans;

import io.sagebrush.algorithms.Algorithm;
import io.sagebrush.algorithms.container.ChannelConfig;
import io.sagebrush.algorithms.container.MetricLog;
import io.sagebrush.algorithms.container.TrainingConfig;
import io.sagebrush.algorithms.data.Dataset;
import io.sagebrush.algorithms.data.Features;
import io.sagebrush.algorithms.data.FirstPartyChannels;
import io.sagebrush.algorithms.serve.InvocationException;
import io.sagebrush.algorithms.serve.Predictor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SageMaker's K-Means: channels {@code train} (required) and {@code test} (optional), {@code
 * text/csv} without a label column ({@code label_size=0}, the default here); metrics {@code train
 * msd}, {@code test msd}/{@code test ssd}.
 */
public final class KMeansAlgorithm implements Algorithm {
  @Override
  public String name() {
    return "kmeans";
  }

  @Override
  public void train(TrainingConfig config, PrintStream log) {
    KMeansHyperparameters hp = KMeansHyperparameters.parse(config.hyperparameters());
    for (String unknown : config.hyperparameters().unknown(KMeansHyperparameters.KNOWN)) {
      log.println("[warning] ignoring unknown hyperparameter '" + unknown + "'");
    }
    ChannelConfig trainChannel = config.requiredChannel("train");
    long readStart = System.nanoTime();
    Dataset train = FirstPartyChannels.read(trainChannel, 0, -1, null);
    Features.requireDim(train, hp.featureDim(), trainChannel);
    log.printf(
        "#progress: read %d records of %d features in %.3f s%n",
        train.rows(), train.cols(), (System.nanoTime() - readStart) / 1e9);
    KMeansTrainer trainer = new KMeansTrainer(hp);
    KMeansModel model = trainer.fit(train, log);
    MetricLog metrics = new MetricLog(log, config.currentHost());
    // the refinement's last pass already measured it: no second pass over the data
    double trainSsd = trainer.trainSumOfSquaredDistances();
    metrics.loss("train", "msd", trainSsd / train.rows());
    ChannelConfig testChannel = config.channel("test");
    if (testChannel != null) {
      Dataset test = FirstPartyChannels.read(testChannel, 0, -1, null);
      Features.requireDim(test, hp.featureDim(), testChannel);
      double ssd = model.sumOfSquaredDistances(test);
      for (String m : hp.evalMetrics()) {
        metrics.loss("test", m, m.equals("msd") ? ssd / test.rows() : ssd);
      }
    }
    model.save(config.optMl().modelDir());
  }

  @Override
  public Predictor load(Path modelDir) {
    KMeansModel model = KMeansModel.load(modelDir);
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
              throw new InvocationException(400, "K-Means records must not have missing values");
            }
          }
          KMeansModel.Assignment a = model.assign(row);
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("closest_cluster", (double) a.cluster());
          p.put("distance_to_cluster", a.distance());
          out.add(p);
        }
        return out;
      }
    };
  }
}
