package io.sagebrush.algorithms;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.kmeans.KMeansAlgorithm;
import io.sagebrush.algorithms.linear.LinearLearnerAlgorithm;
import io.sagebrush.algorithms.xgboost.XGBoostAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The built-in algorithms by name. */
public final class Algorithms {
  /** The names {@link #byName} accepts. */
  public static final List<String> NAMES = List.of("xgboost", "linear-learner", "kmeans");

  private Algorithms() {}

  /**
   * The algorithm of that name ({@code xgboost}, {@code linear-learner}, {@code kmeans}).
   *
   * @throws AlgorithmException for any other name
   */
  public static Algorithm byName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "xgboost", "sagemaker-xgboost" -> new XGBoostAlgorithm();
      case "linear-learner", "linear_learner", "linearlearner" -> new LinearLearnerAlgorithm();
      case "kmeans", "k-means" -> new KMeansAlgorithm();
      default ->
          throw new AlgorithmException(
              "unknown algorithm '" + name + "'; expected one of " + String.join(", ", NAMES));
    };
  }

  /**
   * The algorithm whose model files are in the directory: {@code xgboost-model} for XGBoost, a
   * {@code model_algo-1} JSON document naming Linear Learner or K-Means otherwise.
   *
   * @throws AlgorithmException when no known model file is there
   */
  public static Algorithm forModel(Path modelDir) {
    if (Files.isRegularFile(modelDir.resolve(XGBoostAlgorithm.MODEL_FILE))) {
      return new XGBoostAlgorithm();
    }
    Path json = modelDir.resolve(JsonModels.MODEL_FILE);
    if (Files.isRegularFile(json)) {
      return byName(JsonModels.algorithmOf(json));
    }
    throw new AlgorithmException(
        "no model in "
            + modelDir
            + ": expected "
            + XGBoostAlgorithm.MODEL_FILE
            + " or "
            + JsonModels.MODEL_FILE);
  }
}
