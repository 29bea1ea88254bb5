package io.sagebrush.algorithms.xgboost;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.Hyperparameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SageMaker XGBoost (1.7 algorithm mode) hyperparameters: validated by name, type and range, then
 * handed to xgboost4j as booster parameters.
 *
 * @param numRound boosting rounds (required)
 * @param earlyStoppingRounds rounds without improvement of the last metric on the last data set
 *     before stopping, or 0 for none
 * @param csvWeights true when CSV column 2 is an instance weight
 * @param objective the objective
 * @param evalMetrics metrics to print, empty for the objective's default
 * @param params booster parameters for xgboost4j
 */
public record XGBoostHyperparameters(
    int numRound,
    int earlyStoppingRounds,
    boolean csvWeights,
    String objective,
    List<String> evalMetrics,
    Map<String, Object> params) {

  static final List<String> OBJECTIVES =
      List.of(
          "binary:logistic",
          "binary:logitraw",
          "binary:hinge",
          "count:poisson",
          "multi:softmax",
          "multi:softprob",
          "rank:pairwise",
          "rank:ndcg",
          "rank:map",
          "reg:linear",
          "reg:squarederror",
          "reg:logistic",
          "reg:gamma",
          "reg:pseudohubererror",
          "reg:squaredlogerror",
          "reg:absoluteerror",
          "reg:tweedie",
          "survival:aft",
          "survival:cox");

  static final List<String> METRICS =
      List.of(
          "rmse",
          "rmsle",
          "mae",
          "mape",
          "mphe",
          "logloss",
          "error",
          "merror",
          "mlogloss",
          "auc",
          "aucpr",
          "ndcg",
          "map",
          "poisson-nloglik",
          "gamma-nloglik",
          "cox-nloglik",
          "gamma-deviance",
          "tweedie-nloglik",
          "aft-nloglik",
          "interval-regression-accuracy",
          "pre");

  /** The names this algorithm reads; others are ignored with a warning. */
  public static final Set<String> KNOWN =
      Set.of(
          "num_round",
          "early_stopping_rounds",
          "csv_weights",
          "objective",
          "eval_metric",
          "booster",
          "verbosity",
          "nthread",
          "eta",
          "gamma",
          "max_depth",
          "min_child_weight",
          "max_delta_step",
          "subsample",
          "sampling_method",
          "colsample_bytree",
          "colsample_bylevel",
          "colsample_bynode",
          "lambda",
          "alpha",
          "tree_method",
          "sketch_eps",
          "scale_pos_weight",
          "updater",
          "refresh_leaf",
          "process_type",
          "grow_policy",
          "max_leaves",
          "max_bin",
          "num_parallel_tree",
          "sample_type",
          "normalize_type",
          "rate_drop",
          "one_drop",
          "skip_drop",
          "lambda_bias",
          "tweedie_variance_power",
          "num_class",
          "base_score",
          "seed",
          "monotone_constraints",
          "interaction_constraints",
          "huber_slope",
          "aft_loss_distribution",
          "aft_loss_distribution_scale",
          "max_cat_to_onehot",
          "predictor",
          "single_precision_histogram",
          "deterministic_histogram",
          "seed_per_iteration",
          "feature_selector",
          "top_k");

  /**
   * Parses and validates.
   *
   * @throws AlgorithmException naming the hyperparameter at fault
   */
  public static XGBoostHyperparameters parse(Hyperparameters hp) {
    int numRound = hp.requiredInt("num_round", 1, Integer.MAX_VALUE);
    int early = hp.intValue("early_stopping_rounds", 0, 1, Integer.MAX_VALUE);
    boolean csvWeights = hp.intValue("csv_weights", 0, 0, 1) == 1;
    String objective =
        hp.choice("objective", "reg:squarederror", OBJECTIVES.toArray(new String[0]));
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("objective", objective.equals("reg:linear") ? "reg:squarederror" : objective);
    if (objective.startsWith("multi:")) {
      if (!hp.isSet("num_class")) {
        throw new AlgorithmException(
            "hyperparameter 'num_class' is required for objective " + objective);
      }
      p.put("num_class", hp.intValue("num_class", 2, 2, Integer.MAX_VALUE));
    } else if (hp.isSet("num_class")) {
      hp.intValue("num_class", 2, 2, Integer.MAX_VALUE);
    }
    choice(hp, p, "booster", "gbtree", "gblinear", "dart");
    integer(hp, p, "verbosity", 0, 3);
    integer(hp, p, "nthread", 1, Integer.MAX_VALUE);
    number(hp, p, "eta", 0, 1);
    number(hp, p, "gamma", 0, Double.MAX_VALUE);
    integer(hp, p, "max_depth", 0, Integer.MAX_VALUE);
    number(hp, p, "min_child_weight", 0, Double.MAX_VALUE);
    number(hp, p, "max_delta_step", 0, Double.MAX_VALUE);
    openZeroOne(hp, p, "subsample");
    choice(hp, p, "sampling_method", "uniform", "gradient_based");
    openZeroOne(hp, p, "colsample_bytree");
    openZeroOne(hp, p, "colsample_bylevel");
    openZeroOne(hp, p, "colsample_bynode");
    number(hp, p, "lambda", 0, Double.MAX_VALUE);
    number(hp, p, "alpha", 0, Double.MAX_VALUE);
    if (hp.isSet("tree_method")) {
      String tm = hp.choice("tree_method", "auto", "auto", "exact", "approx", "hist", "gpu_hist");
      // XGBoost 2+ spells gpu_hist as hist on a CUDA device; Sagebrush trains on the CPU
      p.put("tree_method", tm.equals("gpu_hist") ? "hist" : tm);
    }
    number(hp, p, "scale_pos_weight", 0, Double.MAX_VALUE);
    choice(hp, p, "grow_policy", "depthwise", "lossguide");
    integer(hp, p, "max_leaves", 0, Integer.MAX_VALUE);
    integer(hp, p, "max_bin", 2, Integer.MAX_VALUE);
    integer(hp, p, "num_parallel_tree", 1, Integer.MAX_VALUE);
    choice(hp, p, "sample_type", "uniform", "weighted");
    choice(hp, p, "normalize_type", "tree", "forest");
    number(hp, p, "rate_drop", 0, 1);
    integer(hp, p, "one_drop", 0, 1);
    number(hp, p, "skip_drop", 0, 1);
    if (hp.isSet("tweedie_variance_power")) {
      double v = hp.doubleValue("tweedie_variance_power", 1.5, 1, 2);
      if (v >= 2) {
        throw new AlgorithmException(
            "hyperparameter 'tweedie_variance_power' must be in [1, 2), got "
                + hp.raw("tweedie_variance_power"));
      }
      p.put("tweedie_variance_power", v);
    }
    // SageMaker's 1.7 image (XGBoost 1.7) starts from 0.5; XGBoost 2+ would estimate it
    p.put("base_score", hp.doubleValue("base_score", 0.5, -Double.MAX_VALUE, Double.MAX_VALUE));
    integer(hp, p, "seed", Integer.MIN_VALUE, Integer.MAX_VALUE);
    number(hp, p, "huber_slope", 0, Double.MAX_VALUE);
    choice(hp, p, "aft_loss_distribution", "normal", "logistic", "extreme");
    number(hp, p, "aft_loss_distribution_scale", 0, Double.MAX_VALUE);
    integer(hp, p, "max_cat_to_onehot", 1, Integer.MAX_VALUE);
    for (String passThrough :
        List.of(
            "monotone_constraints",
            "interaction_constraints",
            "updater",
            "process_type",
            "refresh_leaf",
            "feature_selector",
            "top_k")) {
      if (hp.isSet(passThrough)) {
        p.put(passThrough, hp.raw(passThrough));
      }
    }
    List<String> metrics = hp.stringList("eval_metric", List.of());
    for (String m : metrics) {
      String base = m.split("@", 2)[0];
      if (!METRICS.contains(base)) {
        throw new AlgorithmException(
            "hyperparameter 'eval_metric' has unknown metric '" + m + "'; known: " + METRICS);
      }
    }
    return new XGBoostHyperparameters(numRound, early, csvWeights, objective, metrics, p);
  }

  private static void choice(
      Hyperparameters hp, Map<String, Object> p, String name, String... allowed) {
    if (hp.isSet(name)) {
      p.put(name, hp.choice(name, allowed[0], allowed));
    }
  }

  private static void integer(
      Hyperparameters hp, Map<String, Object> p, String name, long min, long max) {
    if (hp.isSet(name)) {
      p.put(name, hp.intValue(name, 0, min, max));
    }
  }

  private static void number(
      Hyperparameters hp, Map<String, Object> p, String name, double min, double max) {
    if (hp.isSet(name)) {
      p.put(name, hp.doubleValue(name, 0, min, max));
    }
  }

  private static void openZeroOne(Hyperparameters hp, Map<String, Object> p, String name) {
    if (hp.isSet(name)) {
      double v = hp.doubleValue(name, 1, 0, 1);
      if (v <= 0) {
        throw new AlgorithmException(
            "hyperparameter '" + name + "' must be in (0, 1], got " + hp.raw(name));
      }
      p.put(name, v);
    }
  }
}
