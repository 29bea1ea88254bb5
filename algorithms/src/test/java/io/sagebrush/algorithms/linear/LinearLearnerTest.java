package io.sagebrush.algorithms.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sagebrush.algorithms.JobDir;
import io.sagebrush.algorithms.Synthetic;
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

class LinearLearnerTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  private String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void defaultsAreSageMakers() {
    LinearHyperparameters hp =
        LinearHyperparameters.parse(new Hyperparameters(Map.of("predictor_type", "regressor")));

    assertThat(hp.epochs()).isEqualTo(15);
    assertThat(hp.miniBatchSize()).isEqualTo(1000);
    assertThat(hp.optimizer()).isEqualTo("adam");
    assertThat(hp.loss()).isEqualTo("squared_loss");
    assertThat(hp.normalizeData()).isTrue();
    assertThat(hp.normalizeLabel()).isTrue();
    assertThat(hp.earlyStoppingPatience()).isEqualTo(3);
    assertThat(hp.selectionCriteria()).isEqualTo("accuracy");
  }

  @Test
  void invalidHyperparametersAreNamed() {
    assertThatThrownBy(() -> LinearHyperparameters.parse(new Hyperparameters(Map.of())))
        .hasMessage("missing required hyperparameter 'predictor_type'");
    assertThatThrownBy(
            () ->
                LinearHyperparameters.parse(
                    new Hyperparameters(Map.of("predictor_type", "multiclass_classifier"))))
        .hasMessage(
            "hyperparameter 'num_classes' is required when predictor_type is multiclass_classifier");
    assertThatThrownBy(
            () ->
                LinearHyperparameters.parse(
                    new Hyperparameters(Map.of("predictor_type", "regressor", "loss", "logistic"))))
        .hasMessage("hyperparameter 'loss' logistic does not fit predictor_type regressor");
    assertThatThrownBy(
            () ->
                LinearHyperparameters.parse(
                    new Hyperparameters(
                        Map.of("predictor_type", "regressor", "learning_rate", "-1"))))
        .hasMessageStartingWith("hyperparameter 'learning_rate' must be in [0, ");
  }

  @Test
  void regressorRecoversTheCoefficientsAndReportsTestMetrics() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("predictor_type", "regressor")
            .hp("feature_dim", "3")
            .hp("mini_batch_size", "50")
            .hp("epochs", "20")
            .channel("train", "text/csv", Synthetic.regression(2000, 1, 0.1))
            .channel("test", "text/csv", Synthetic.regression(200, 2, 0.1))
            .config();

    new LinearLearnerAlgorithm().train(config, log);

    Predictor p = new LinearLearnerAlgorithm().load(config.optMl().modelDir());
    double at0 = (double) p.predict(new float[][] {{0, 0, 0}}).get(0).get("score");
    double at1 = (double) p.predict(new float[][] {{1, 0, 0}}).get(0).get("score");
    assertThat(at0).isCloseTo(3.0, within(0.1));
    assertThat(at1 - at0).isCloseTo(2.0, within(0.1));
    assertThat(log())
        .containsPattern("#quality_metric: host=algo-1, epoch=1, train objective_loss <loss>=")
        .containsPattern("#quality_metric: host=algo-1, test rmse <loss>=0\\.1\\d*")
        .contains("test objective_loss <loss>=", "test mse <loss>=", "test absolute_loss <loss>=");
  }

  @Test
  void binaryClassifierSeparatesTheClasses() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("predictor_type", "binary_classifier")
            .hp("mini_batch_size", "100")
            .channel("train", "text/csv", Synthetic.binary(2000, 3))
            .channel("validation", "text/csv", Synthetic.binary(300, 4))
            .channel("test", "text/csv", Synthetic.binary(300, 5))
            .config();

    new LinearLearnerAlgorithm().train(config, log);

    assertThat(log())
        .containsPattern(
            "#quality_metric: host=algo-1, test binary_classification_accuracy <score>=0\\.9\\d*")
        .contains("validation objective_loss <loss>=", "test binary_f_beta <score>=")
        .contains("test precision <score>=", "test recall <score>=");
    Predictor p = new LinearLearnerAlgorithm().load(config.optMl().modelDir());
    Map<String, Object> positive = p.predict(new float[][] {{3, 3, 0}}).get(0);
    assertThat(positive.keySet()).containsExactly("score", "predicted_label");
    assertThat(positive.get("predicted_label")).isEqualTo(1);
    assertThat((double) positive.get("score")).isGreaterThan(0.9);
  }

  @Test
  void multiclassClassifierGivesClassProbabilities() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("predictor_type", "multiclass_classifier")
            .hp("num_classes", "3")
            .hp("mini_batch_size", "50")
            .channel("train", "text/csv", Synthetic.multiclass(1500, 6))
            .channel("test", "text/csv", Synthetic.multiclass(300, 7))
            .config();

    new LinearLearnerAlgorithm().train(config, log);

    assertThat(log())
        .containsPattern("test multiclass_accuracy <score>=0\\.9\\d*")
        .contains("test multiclass_top_k_accuracy <score>=1.0");
    Map<String, Object> p =
        new LinearLearnerAlgorithm()
            .load(config.optMl().modelDir())
            .predict(new float[][] {{5, 5}})
            .get(0);
    assertThat(p.get("predicted_label")).isEqualTo(1);
    assertThat((double[]) p.get("score")).hasSize(3);
  }

  @Test
  void trainsOnSparseRecordIoProtobuf() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("predictor_type", "regressor")
            .hp("feature_dim", "5")
            .hp("mini_batch_size", "1")
            .channelFromResource(
                "train",
                "application/x-recordio-protobuf",
                "/recordio/sparse-labelled.pbr",
                "part-0")
            .config();

    new LinearLearnerAlgorithm().train(config, log);

    assertThat(LinearModel.load(config.optMl().modelDir()).featureDim()).isEqualTo(5);
  }

  @Test
  void binaryLabelOutOfRangeNamesFileAndLine() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("predictor_type", "binary_classifier")
            .channel("train", "text/csv", "0,1\n1,2\n3,3\n")
            .config();

    assertThatThrownBy(() -> new LinearLearnerAlgorithm().train(config, log))
        .hasMessage("file train/data.csv line 3: label 3 must be 0 or 1 (binary_classifier)");
  }

  @Test
  void validationWithOtherFeatureCountIsRefused() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("predictor_type", "regressor")
            .channel("train", "text/csv", "0,1,2\n1,2,3\n")
            .channel("validation", "text/csv", "0,1\n")
            .config();

    assertThatThrownBy(() -> new LinearLearnerAlgorithm().train(config, log))
        .hasMessageContaining("channel 'validation'")
        .hasMessageContaining("have 1 features");
  }

  @Test
  void thresholdMaximisesAccuracyOrMeetsTargetRecall() {
    double[] scores = {0.9, 0.8, 0.7, 0.4, 0.3, 0.2};
    float[] labels = {1, 1, 0, 1, 0, 0};
    LinearHyperparameters accuracy =
        LinearHyperparameters.parse(
            new Hyperparameters(Map.of("predictor_type", "binary_classifier")));
    LinearHyperparameters recall =
        LinearHyperparameters.parse(
            new Hyperparameters(
                Map.of(
                    "predictor_type", "binary_classifier",
                    "binary_classifier_model_selection_criteria", "precision_at_target_recall",
                    "target_recall", "1.0")));

    assertThat(LinearMetrics.chooseThreshold(scores, labels, accuracy, 0.5)).isEqualTo(0.75);
    assertThat(LinearMetrics.chooseThreshold(scores, labels, recall, 0.5)).isEqualTo(0.35);
  }

  @Test
  void radixSortOrdersAsArraysSort() {
    java.util.Random rng = new java.util.Random(3);
    double[] values = new double[100_000];
    double[] specials = {
      0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE
    };
    for (int i = 0; i < values.length; i++) {
      values[i] =
          i % 10 == 0
              ? specials[rng.nextInt(specials.length)]
              : i % 3 == 0 ? rng.nextGaussian() * 1e6 : 1 / (1 + Math.exp(-rng.nextGaussian()));
    }
    double[] expected = values.clone();
    java.util.Arrays.sort(expected);

    LinearMetrics.sort(values);

    assertThat(values).isEqualTo(expected);
  }

  @Test
  void modelRoundTrips() {
    LinearModel model =
        new LinearModel(
            "binary_classifier",
            "logistic",
            2,
            1,
            new double[] {1, -1},
            new double[] {0.5},
            new double[] {0, 0},
            new double[] {1, 1},
            0,
            1,
            0.6);
    model.save(dir);

    LinearModel loaded = LinearModel.load(dir);

    assertThat(loaded.weights()).containsExactly(1, -1);
    assertThat(loaded.threshold()).isEqualTo(0.6);
    assertThat(loaded.predict(new float[] {1, 0})).isEqualTo(model.predict(new float[] {1, 0}));
    List<Map<String, Object>> out =
        new LinearLearnerAlgorithm().load(dir).predict(new float[][] {{-5, 5}});
    assertThat(out.get(0)).containsEntry("predicted_label", 0);
  }
}
