package io.sagebrush.algorithms.kmeans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sagebrush.algorithms.JobDir;
import io.sagebrush.algorithms.Synthetic;
import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.Hyperparameters;
import io.sagebrush.algorithms.container.TrainingConfig;
import io.sagebrush.algorithms.serve.Predictor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KMeansTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  @Test
  void defaultsAreSageMakers() {
    KMeansHyperparameters hp =
        KMeansHyperparameters.parse(new Hyperparameters(Map.of("k", "3", "feature_dim", "4")));

    assertThat(hp.initMethod()).isEqualTo("random");
    assertThat(hp.miniBatchSize()).isEqualTo(5000);
    assertThat(hp.epochs()).isEqualTo(1);
    assertThat(hp.localLloydMaxIter()).isEqualTo(300);
    assertThat(hp.localLloydTol()).isEqualTo(0.0001);
    assertThat(hp.localLloydInitMethod()).isEqualTo("kmeans++");
    assertThat(hp.evalMetrics()).containsExactly("msd");
  }

  @Test
  void boundedLloydMatchesPlainLloyd() {
    java.util.Random rng = new java.util.Random(7);
    int n = 20_000;
    int d = 5;
    int k = 7;
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      int blob = rng.nextInt(k + 2);
      for (int t = 0; t < d; t++) {
        x[i * d + t] = (float) (blob * (t % 2 == 0 ? 1.5 : -1) + rng.nextGaussian());
      }
    }
    double[] start = new double[k * d];
    for (int j = 0; j < k; j++) {
      System.arraycopy(toDoubles(x, j * 97 * d, d), 0, start, j * d, d);
    }
    double[] plain = start.clone();
    int iterations = 0;
    for (; iterations < 50; iterations++) {
      double[] sums = new double[k * d];
      double[] counts = new double[k];
      double[] out = new double[1];
      for (int i = 0; i < n; i++) {
        int j = KMeansMath.nearest(x, i * d, plain, k, d, out);
        counts[j]++;
        for (int t = 0; t < d; t++) {
          sums[j * d + t] += x[i * d + t];
        }
      }
      for (int j = 0; j < k * d; j++) {
        plain[j] = counts[j / d] > 0 ? sums[j] / counts[j / d] : plain[j];
      }
    }
    double[] bounded = start.clone();

    KMeansMath.Refined refined = KMeansMath.lloydFull(x, n, d, bounded, k, 50, 0);

    assertThat(refined.iterations()).isBetween(2, 50);
    for (int j = 0; j < k * d; j++) {
      assertThat(bounded[j]).isCloseTo(plain[j], within(1e-9));
    }
    assertThat(refined.sse()).isCloseTo(KMeansMath.inertia(x, n, d, plain, k), within(1e-6));
  }

  private static double[] toDoubles(float[] x, int off, int d) {
    double[] r = new double[d];
    for (int t = 0; t < d; t++) {
      r[t] = x[off + t];
    }
    return r;
  }

  @Test
  void requiredAndInvalidHyperparametersAreNamed() {
    assertThatThrownBy(() -> KMeansHyperparameters.parse(new Hyperparameters(Map.of("k", "3"))))
        .hasMessage("missing required hyperparameter 'feature_dim'");
    assertThatThrownBy(
            () ->
                KMeansHyperparameters.parse(
                    new Hyperparameters(
                        Map.of("k", "3", "feature_dim", "2", "init_method", "forgy"))))
        .hasMessage("hyperparameter 'init_method' must be one of random, kmeans++, got 'forgy'");
    assertThatThrownBy(
            () ->
                KMeansHyperparameters.parse(
                    new Hyperparameters(
                        Map.of("k", "3", "feature_dim", "2", "eval_metrics", "[\"msd\",\"f1\"]"))))
        .hasMessage("hyperparameter 'eval_metrics' entries must be msd or ssd, got 'f1'");
  }

  @Test
  void findsTheFourBlobsAndReportsMetrics() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("k", "4")
            .hp("feature_dim", "2")
            .hp("mini_batch_size", "100")
            .hp("eval_metrics", "[\"msd\",\"ssd\"]")
            .channel("train", "text/csv;label_size=0", Synthetic.blobs(400, 1))
            .channel("test", "text/csv;label_size=0", Synthetic.blobs(40, 2))
            .config();

    new KMeansAlgorithm().train(config, log);

    KMeansModel model = KMeansModel.load(config.optMl().modelDir());
    assertThat(model.k()).isEqualTo(4);
    for (float[] corner : new float[][] {{10, 10}, {-10, 10}, {10, -10}, {-10, -10}}) {
      assertThat(model.assign(corner).distance()).isLessThan(0.2);
    }
    String out = logBytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .containsPattern("#quality_metric: host=algo-1, train msd <loss>=0\\.\\d+")
        .containsPattern("#quality_metric: host=algo-1, test msd <loss>=0\\.\\d+")
        .containsPattern("#quality_metric: host=algo-1, test ssd <loss>=\\d+\\.\\d+");
  }

  @Test
  void irisInertiaMatchesTheKnownOptimum() {
    // scikit-learn's KMeans(n_clusters=3, init="k-means++") reaches 78.85 on iris
    for (String init : List.of("random", "kmeans++")) {
      TrainingConfig config =
          JobDir.at(dir.resolve(init))
              .hp("k", "3")
              .hp("feature_dim", "4")
              .hp("init_method", init)
              .channel("train", "text/csv;label_size=0", Synthetic.irisFeatures())
              .config();

      new KMeansAlgorithm().train(config, log);

      KMeansModel model = KMeansModel.load(config.optMl().modelDir());
      double inertia =
          model.sumOfSquaredDistances(
              io.sagebrush.algorithms.data.FirstPartyChannels.read(
                  config.channel("train"), 0, -1, null));
      assertThat(inertia).as(init).isCloseTo(78.85, within(78.85 * 0.02));
    }
  }

  @Test
  void featureDimMismatchNamesTheHyperparameterAndFile() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("k", "2")
            .hp("feature_dim", "3")
            .channel("train", "text/csv;label_size=0", "1,2\n3,4\n")
            .config();

    assertThatThrownBy(() -> new KMeansAlgorithm().train(config, log))
        .isInstanceOf(AlgorithmException.class)
        .hasMessage(
            "hyperparameter 'feature_dim' is 3 but the records of channel 'train'"
                + " (train/data.csv line 1) have 2 features");
  }

  @Test
  void moreClustersThanRecordsIsAClientError() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("k", "5")
            .hp("feature_dim", "2")
            .channel("train", "text/csv", "1,2\n3,4\n")
            .config();

    assertThatThrownBy(() -> new KMeansAlgorithm().train(config, log))
        .hasMessage("hyperparameter 'k' is 5 but the train channel has only 2 records");
  }

  @Test
  void trainsOnRecordIoProtobufAsTheSdkUploadsItWithoutContentType() throws Exception {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("k", "2")
            .hp("feature_dim", "2")
            .channelFromResource("train", null, "/recordio/dense-unlabelled.pbr", "matrix_0.pbr")
            .config();

    new KMeansAlgorithm().train(config, log);

    KMeansModel model = KMeansModel.load(config.optMl().modelDir());
    assertThat(model.assign(new float[] {0, 0.5f}).distance()).isLessThan(0.01);
    assertThat(model.assign(new float[] {10, 10.5f}).distance()).isLessThan(0.01);
  }

  @Test
  void modelRoundTripsAndServesSageMakerShape() {
    new KMeansModel(2, 2, new double[] {0, 0, 3, 4}).save(dir);

    Predictor p = new KMeansAlgorithm().load(dir);

    assertThat(p.featureDim()).isEqualTo(2);
    List<Map<String, Object>> out = p.predict(new float[][] {{0, 1}, {3, 4}, {6, 8}});
    assertThat(out.get(0))
        .containsEntry("closest_cluster", 0.0)
        .containsEntry("distance_to_cluster", 1.0);
    assertThat(out.get(2))
        .containsEntry("closest_cluster", 1.0)
        .containsEntry("distance_to_cluster", 5.0);
    assertThat(p.csvLine(out.get(1))).isEqualTo("1.0,0.0");
  }

  @Test
  void malformedRecordIoNamesTheFileAndRecord() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("k", "2")
            .hp("feature_dim", "2")
            .channel("train", "application/x-recordio-protobuf", "....")
            .config();

    assertThatThrownBy(() -> new KMeansAlgorithm().train(config, log))
        .isInstanceOf(AlgorithmException.class)
        .hasMessage("file train/data.csv: record 1 does not start with the RecordIO magic number");
  }
}
