package io.sagebrush.algorithms.xgboost;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XGBoostTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  private String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void onlyNumRoundIsRequiredAndDefaultsFollowSageMaker() {
    assertThatThrownBy(() -> XGBoostHyperparameters.parse(new Hyperparameters(Map.of())))
        .hasMessage("missing required hyperparameter 'num_round'");
    XGBoostHyperparameters hp =
        XGBoostHyperparameters.parse(new Hyperparameters(Map.of("num_round", "10")));
    assertThat(hp.objective()).isEqualTo("reg:squarederror");
    assertThat(hp.params()).containsEntry("base_score", 0.5);
    assertThat(hp.earlyStoppingRounds()).isZero();
  }

  @Test
  void invalidHyperparametersAreNamed() {
    assertThatThrownBy(() -> parse("num_round", "10", "eta", "2"))
        .hasMessage("hyperparameter 'eta' must be in [0, 1], got 2");
    assertThatThrownBy(() -> parse("num_round", "10", "max_depth", "deep"))
        .hasMessage("hyperparameter 'max_depth' must be an integer, got 'deep'");
    assertThatThrownBy(() -> parse("num_round", "10", "subsample", "0"))
        .hasMessage("hyperparameter 'subsample' must be in (0, 1], got 0");
    assertThatThrownBy(() -> parse("num_round", "10", "objective", "multi:softmax"))
        .hasMessage("hyperparameter 'num_class' is required for objective multi:softmax");
    assertThatThrownBy(() -> parse("num_round", "10", "objective", "reg:magic"))
        .hasMessageStartingWith("hyperparameter 'objective' must be one of binary:logistic");
    assertThatThrownBy(() -> parse("num_round", "10", "eval_metric", "rmse,accuracy"))
        .hasMessageStartingWith("hyperparameter 'eval_metric' has unknown metric 'accuracy'");
    assertThat(parse("num_round", "1", "objective", "reg:linear").params())
        .containsEntry("objective", "reg:squarederror");
  }

  private static XGBoostHyperparameters parse(String... kv) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return XGBoostHyperparameters.parse(new Hyperparameters(m));
  }

  @Test
  void trainsOnCsvPrintsSageMakerMetricLinesAndServesTheModel() throws Exception {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("num_round", "20")
            .hp("max_depth", "3")
            .hp("nthread", "1")
            .channel("train", "text/csv", Synthetic.regression(500, 1, 0.1))
            .channel("validation", "text/csv", Synthetic.regression(100, 2, 0.1))
            .config();

    new XGBoostAlgorithm().train(config, log);

    assertThat(log())
        .containsPattern(
            "(?m)^\\[0\\]#011train-rmse:\\d+\\.\\d{5}#011validation-rmse:\\d+\\.\\d{5}$")
        .contains("[19]#011train-rmse:");
    Path model = config.optMl().modelDir().resolve("xgboost-model");
    assertThat(Files.readString(model))
        .startsWith("{\"learner\"")
        .contains("\"base_score\":\"5E-1\"");
    Predictor p = new XGBoostAlgorithm().load(config.optMl().modelDir());
    assertThat(p.featureDim()).isEqualTo(3);
    float score = (float) p.predict(new float[][] {{0, 0, 5}}).get(0).get("score");
    assertThat((double) score).isCloseTo(5.5, within(1.0));
  }

  @Test
  void trainsOnLibsvmWithEarlyStoppingOnValidation() {
    StringBuilder train = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      int label = i % 2;
      train.append(label).append(" 0:").append(label * 2 + (i % 7) * 0.01).append(" 3:1\n");
    }
    TrainingConfig config =
        JobDir.at(dir)
            .hp("num_round", "200")
            .hp("objective", "binary:logistic")
            .hp("eval_metric", "error")
            .hp("early_stopping_rounds", "3")
            .channel("train", "text/libsvm", "train.libsvm", train.toString())
            .channel("validation", "text/libsvm", "val.libsvm", train.toString())
            .config();

    new XGBoostAlgorithm().train(config, log);

    assertThat(log()).contains("validation-error:0.00000").contains("Stopping. Best iteration:");
    assertThat(log()).doesNotContain("[199]");
  }

  @Test
  void labelOutOfRangeNamesFileAndLine() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("num_round", "2")
            .hp("objective", "multi:softmax")
            .hp("num_class", "3")
            .channel("train", "text/csv", "0,1\n2,1\n3,1\n")
            .config();

    assertThatThrownBy(() -> new XGBoostAlgorithm().train(config, log))
        .hasMessage(
            "file train/data.csv line 3: label 3 must be an integer in [0, 2] for num_class 3");
  }

  @Test
  void unsupportedContentTypeIsNamed() {
    TrainingConfig config =
        JobDir.at(dir).hp("num_round", "2").channel("train", "application/x-parquet", "x").config();

    assertThatThrownBy(() -> new XGBoostAlgorithm().train(config, log))
        .hasMessage(
            "channel 'train' has ContentType application/x-parquet; Sagebrush's XGBoost reads"
                + " text/csv, text/libsvm and application/x-recordio-protobuf");
  }

  @Test
  void multiClassProbabilitiesServeAsScoreLists() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("num_round", "5")
            .hp("objective", "multi:softprob")
            .hp("num_class", "3")
            .channel("train", "text/csv", Synthetic.multiclass(300, 3))
            .config();
    new XGBoostAlgorithm().train(config, log);

    Predictor p = new XGBoostAlgorithm().load(config.optMl().modelDir());
    Map<String, Object> out = p.predict(new float[][] {{5, 5}}).get(0);

    assertThat((float[]) out.get("score")).hasSize(3);
    assertThat(p.csvLine(out).split(",")).hasSize(3);
  }

  @Test
  void metricLineFormatAndPortableBaseScore() {
    assertThat(XGBoostTrainer.sageMakerLine("[3]\ttrain-rmse:0.412345678\tvalidation-rmse:0.44"))
        .isEqualTo("[3]#011train-rmse:0.41235#011validation-rmse:0.44000");
    assertThat(XGBoostTrainer.portableJson("{\"base_score\":\"[6.25E-1]\",\"x\":1}"))
        .isEqualTo("{\"base_score\":\"6.25E-1\",\"x\":1}");
  }
}
