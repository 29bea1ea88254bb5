package io.sagebrush.algorithms.xgboost;

import io.sagebrush.algorithms.Algorithm;
import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.ChannelConfig;
import io.sagebrush.algorithms.container.TrainingConfig;
import io.sagebrush.algorithms.data.ChannelData;
import io.sagebrush.algorithms.data.CsvReader;
import io.sagebrush.algorithms.data.Dataset;
import io.sagebrush.algorithms.data.LabelRule;
import io.sagebrush.algorithms.data.LibSvmReader;
import io.sagebrush.algorithms.data.NamedFile;
import io.sagebrush.algorithms.data.RecordIoProtobufReader;
import io.sagebrush.algorithms.serve.Predictor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * SageMaker XGBoost in algorithm mode: {@code train} (required) and {@code validation} channels;
 * {@code text/libsvm} (also the default when ContentType is absent) or {@code text/csv} (label
 * first, no header; {@code csv_weights=1}: instance weight second).
 */
public final class XGBoostAlgorithm implements Algorithm {
  /** The model file inside model.tar.gz, as SageMaker's container names it. */
  public static final String MODEL_FILE = "xgboost-model";

  @Override
  public String name() {
    return "xgboost";
  }

  @Override
  public void train(TrainingConfig config, PrintStream log) {
    if (config.hyperparameters().isSet("sagemaker_program")) {
      throw new AlgorithmException(
          "hyperparameter 'sagemaker_program' asks for XGBoost script mode, which the Sagebrush"
              + " built-in does not run; use a script-mode agent");
    }
    XGBoostHyperparameters hp = XGBoostHyperparameters.parse(config.hyperparameters());
    for (String unknown : config.hyperparameters().unknown(XGBoostHyperparameters.KNOWN)) {
      log.println("[warning] ignoring unknown hyperparameter '" + unknown + "'");
    }
    long readStart = System.nanoTime();
    Dataset train = read(config.requiredChannel("train"), hp, 0);
    ChannelConfig validationChannel = config.channel("validation");
    Dataset validation =
        validationChannel == null ? null : read(validationChannel, hp, train.cols());
    if (validation != null && validation.cols() != train.cols()) {
      throw new AlgorithmException(
          "channel 'validation' has "
              + validation.cols()
              + " features but channel 'train' has "
              + train.cols());
    }
    log.printf(
        "#progress: read %d records of %d features in %.3f s%n",
        train.rows(), train.cols(), (System.nanoTime() - readStart) / 1e9);
    new XGBoostTrainer(hp)
        .train(train, validation, config.optMl().modelDir().resolve(MODEL_FILE), log);
  }

  static Dataset read(ChannelConfig channel, XGBoostHyperparameters hp, int minCols) {
    List<NamedFile> files = ChannelData.files(channel);
    String media = channel.mediaType();
    if (media == null
        || media.equals("text/libsvm")
        || media.equals("text/x-libsvm")
        || media.equals("libsvm")) {
      return new LibSvmReader().withLabelRule(labelRule(hp)).read(files, minCols);
    }
    if (media.equals("text/csv") || media.equals("csv")) {
      String labelSize = channel.parameters().get("label_size");
      if (labelSize != null && !labelSize.equals("1")) {
        throw new AlgorithmException(
            "channel '"
                + channel.name()
                + "' ContentType parameter label_size must be 1, got '"
                + labelSize
                + "'");
      }
      return new CsvReader(1, hp.csvWeights(), true).withLabelRule(labelRule(hp)).read(files, -1);
    }
    if (media.equals("application/x-recordio-protobuf") || media.equals("recordio-protobuf")) {
      return new RecordIoProtobufReader(true).withLabelRule(labelRule(hp)).read(files);
    }
    throw new AlgorithmException(
        "channel '"
            + channel.name()
            + "' has ContentType "
            + channel.contentType()
            + "; Sagebrush's XGBoost reads text/csv, text/libsvm and"
            + " application/x-recordio-protobuf");
  }

  static LabelRule labelRule(XGBoostHyperparameters hp) {
    return switch (hp.objective()) {
      case "binary:logistic", "binary:logitraw", "binary:hinge", "reg:logistic" ->
          LabelRule.of(v -> v >= 0 && v <= 1, "in [0, 1] for objective " + hp.objective());
      case "multi:softmax", "multi:softprob" -> {
        int classes = ((Number) hp.params().get("num_class")).intValue();
        yield LabelRule.of(
            v -> v >= 0 && v < classes && v == Math.rint(v),
            "an integer in [0, " + (classes - 1) + "] for num_class " + classes);
      }
      case "count:poisson", "reg:gamma", "reg:tweedie" ->
          LabelRule.of(v -> v >= 0, "non-negative for objective " + hp.objective());
      default -> LabelRule.of(v -> !Double.isNaN(v), "a number");
    };
  }

  @Override
  public Predictor load(Path modelDir) {
    return XGBoostPredictor.load(modelDir.resolve(MODEL_FILE));
  }
}
