package io.sagebrush.algorithms.linear;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.Hyperparameters;
import java.util.Set;

/**
 * Linear Learner hyperparameters with SageMaker's names and defaults ({@code auto} resolved here).
 *
 * @param predictorType {@code regressor}, {@code binary_classifier}, {@code multiclass_classifier}
 * @param featureDim features per record, or -1 for auto
 * @param numClasses classes of a multiclass classifier (1 for regressor, 2 for binary)
 * @param epochs passes over the data (15)
 * @param miniBatchSize records per step (1000)
 * @param optimizer {@code adam} (auto), {@code sgd} or {@code rmsprop}
 * @param learningRate step size (auto: 0.02 for adam/rmsprop, 0.1 for sgd)
 * @param momentum SGD momentum (auto: 0.9)
 * @param beta1 Adam's beta_1 (0.9)
 * @param beta2 Adam's beta_2 (0.999)
 * @param l1 L1 penalty (auto: 0)
 * @param wd L2 penalty (auto: 0)
 * @param useBias whether to learn a bias
 * @param normalizeData standardise features (true)
 * @param normalizeLabel standardise regression labels (auto: true for regressor)
 * @param loss the loss (auto by predictor type)
 * @param huberDelta huber loss threshold (1.0)
 * @param earlyStoppingPatience epochs without improvement before stopping (3)
 * @param earlyStoppingTolerance relative improvement that counts (0.001)
 * @param selectionCriteria binary threshold criterion (accuracy)
 * @param targetRecall for precision_at_target_recall (0.8)
 * @param targetPrecision for recall_at_target_precision (0.8)
 * @param fBeta beta of f_beta (1.0)
 * @param positiveWeightMult weight of positive examples, or -1 for {@code balanced}
 * @param numPointForScaler records used to fit the scalers (10000)
 * @param accuracyTopK k of multiclass_top_k_accuracy (3)
 * @param seed random seed for shuffling and initialisation (Sagebrush extension, 0)
 */
public record LinearHyperparameters(
    String predictorType,
    int featureDim,
    int numClasses,
    int epochs,
    int miniBatchSize,
    String optimizer,
    double learningRate,
    double momentum,
    double beta1,
    double beta2,
    double l1,
    double wd,
    boolean useBias,
    boolean normalizeData,
    boolean normalizeLabel,
    String loss,
    double huberDelta,
    int earlyStoppingPatience,
    double earlyStoppingTolerance,
    String selectionCriteria,
    double targetRecall,
    double targetPrecision,
    double fBeta,
    double positiveWeightMult,
    int numPointForScaler,
    int accuracyTopK,
    long seed) {

  /** Names read (or accepted and ignored, e.g. {@code num_models}); others get a warning. */
  public static final Set<String> KNOWN =
      Set.of(
          "predictor_type",
          "feature_dim",
          "num_classes",
          "epochs",
          "mini_batch_size",
          "optimizer",
          "learning_rate",
          "momentum",
          "beta_1",
          "beta_2",
          "l1",
          "wd",
          "use_bias",
          "normalize_data",
          "normalize_label",
          "loss",
          "huber_delta",
          "early_stopping_patience",
          "early_stopping_tolerance",
          "binary_classifier_model_selection_criteria",
          "target_recall",
          "target_precision",
          "f_beta",
          "positive_example_weight_mult",
          "num_point_for_scaler",
          "accuracy_top_k",
          "seed",
          "num_models",
          "use_lr_scheduler",
          "lr_scheduler_step",
          "lr_scheduler_factor",
          "lr_scheduler_minimum_lr",
          "init_method",
          "init_scale",
          "init_sigma",
          "init_bias",
          "bias_lr_mult",
          "bias_wd_mult",
          "num_calibration_samples",
          "unbias_data",
          "unbias_label",
          "margin",
          "quantile",
          "loss_insensitivity",
          "balance_multiclass_weights",
          "force_dense");

  /**
   * Parses and validates.
   *
   * @throws AlgorithmException naming the hyperparameter at fault
   */
  public static LinearHyperparameters parse(Hyperparameters hp) {
    if (!hp.isSet("predictor_type")) {
      throw new AlgorithmException("missing required hyperparameter 'predictor_type'");
    }
    String type =
        hp.choice(
            "predictor_type", null, "regressor", "binary_classifier", "multiclass_classifier");
    int classes = type.equals("regressor") ? 1 : 2;
    if (type.equals("multiclass_classifier")) {
      if (!hp.isSet("num_classes")) {
        throw new AlgorithmException(
            "hyperparameter 'num_classes' is required when predictor_type is multiclass_classifier");
      }
      classes = hp.intValue("num_classes", 3, 3, 1_000_000);
    }
    String optimizer = hp.choice("optimizer", "adam", "adam", "sgd", "rmsprop");
    String loss = resolveLoss(hp, type);
    String pw = hp.raw("positive_example_weight_mult");
    double positiveWeight =
        pw != null && pw.equalsIgnoreCase("balanced")
            ? -1
            : hp.doubleValue("positive_example_weight_mult", 1.0, 1e-12, 1e12);
    return new LinearHyperparameters(
        type,
        hp.intValue("feature_dim", -1, 1, Integer.MAX_VALUE),
        classes,
        hp.intValue("epochs", 15, 1, Integer.MAX_VALUE),
        hp.intValue("mini_batch_size", 1000, 1, Integer.MAX_VALUE),
        optimizer,
        positive(hp, "learning_rate", optimizer.equals("sgd") ? 0.1 : 0.02),
        hp.doubleValue("momentum", 0.9, 0, 0.999999),
        hp.doubleValue("beta_1", 0.9, 0, 0.999999),
        hp.doubleValue("beta_2", 0.999, 0, 0.999999),
        hp.doubleValue("l1", 0, 0, Double.MAX_VALUE),
        hp.doubleValue("wd", 0, 0, Double.MAX_VALUE),
        hp.bool("use_bias", true),
        hp.bool("normalize_data", true),
        type.equals("regressor") && hp.bool("normalize_label", true),
        loss,
        positive(hp, "huber_delta", 1.0),
        hp.intValue("early_stopping_patience", 3, 1, Integer.MAX_VALUE),
        hp.doubleValue("early_stopping_tolerance", 0.001, 0, Double.MAX_VALUE),
        hp.choice(
            "binary_classifier_model_selection_criteria",
            "accuracy",
            "accuracy",
            "f_beta",
            "precision_at_target_recall",
            "recall_at_target_precision",
            "loss_function"),
        hp.doubleValue("target_recall", 0.8, 0, 1),
        hp.doubleValue("target_precision", 0.8, 0, 1),
        positive(hp, "f_beta", 1.0),
        positiveWeight,
        hp.intValue("num_point_for_scaler", 10000, 1, Integer.MAX_VALUE),
        hp.intValue("accuracy_top_k", 3, 1, Integer.MAX_VALUE),
        hp.intValue("seed", 0, 0, Integer.MAX_VALUE));
  }

  private static double positive(Hyperparameters hp, String name, double dflt) {
    return hp.positiveDouble(name, dflt);
  }

  private static String resolveLoss(Hyperparameters hp, String type) {
    String loss =
        hp.choice(
            "loss",
            "auto",
            "auto",
            "squared_loss",
            "absolute_loss",
            "huber_loss",
            "logistic",
            "hinge_loss",
            "softmax_loss");
    if (loss.equals("auto")) {
      return switch (type) {
        case "regressor" -> "squared_loss";
        case "binary_classifier" -> "logistic";
        default -> "softmax_loss";
      };
    }
    boolean ok =
        switch (type) {
          case "regressor" ->
              loss.equals("squared_loss")
                  || loss.equals("absolute_loss")
                  || loss.equals("huber_loss");
          case "binary_classifier" -> loss.equals("logistic") || loss.equals("hinge_loss");
          default -> loss.equals("softmax_loss");
        };
    if (!ok) {
      throw new AlgorithmException(
          "hyperparameter 'loss' " + loss + " does not fit predictor_type " + type);
    }
    return loss;
  }
}
