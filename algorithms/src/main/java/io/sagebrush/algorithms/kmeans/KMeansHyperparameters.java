package io.sagebrush.algorithms.kmeans;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.Hyperparameters;
import java.util.List;
import java.util.Set;

/**
 * K-Means hyperparameters with SageMaker's names and defaults.
 *
 * @param k number of clusters (required)
 * @param featureDim features per record (required)
 * @param initMethod {@code random} or {@code kmeans++}
 * @param miniBatchSize records per mini-batch (default 5000)
 * @param epochs passes over the data (default 1)
 * @param extraCenterFactor centres kept while streaming = k * this (auto: 2)
 * @param localLloydMaxIter Lloyd iterations of the reduction and refinement (300)
 * @param localLloydTol relative change of the objective that ends Lloyd's (0.0001)
 * @param localLloydInitMethod {@code random} or {@code kmeans++} (default)
 * @param localLloydNumTrials reduction trials, the best kept (auto: 5)
 * @param evalMetrics {@code msd} and/or {@code ssd} (default msd)
 * @param seed random seed (Sagebrush extension {@code seed}, default 0)
 */
public record KMeansHyperparameters(
    int k,
    int featureDim,
    String initMethod,
    int miniBatchSize,
    int epochs,
    int extraCenterFactor,
    int localLloydMaxIter,
    double localLloydTol,
    String localLloydInitMethod,
    int localLloydNumTrials,
    List<String> evalMetrics,
    long seed) {

  /** The names this algorithm reads; others are ignored with a warning. */
  public static final Set<String> KNOWN =
      Set.of(
          "k",
          "feature_dim",
          "init_method",
          "mini_batch_size",
          "epochs",
          "extra_center_factor",
          "local_lloyd_max_iter",
          "local_lloyd_tol",
          "local_lloyd_init_method",
          "local_lloyd_num_trials",
          "half_life_time_size",
          "eval_metrics",
          "force_dense",
          "seed");

  /**
   * Parses and validates.
   *
   * @throws AlgorithmException naming the hyperparameter at fault
   */
  public static KMeansHyperparameters parse(Hyperparameters hp) {
    int k = hp.requiredInt("k", 1, Integer.MAX_VALUE);
    int dim = hp.requiredInt("feature_dim", 1, Integer.MAX_VALUE);
    List<String> metrics = hp.stringList("eval_metrics", List.of("msd"));
    for (String m : metrics) {
      if (!m.equals("msd") && !m.equals("ssd")) {
        throw new AlgorithmException(
            "hyperparameter 'eval_metrics' entries must be msd or ssd, got '" + m + "'");
      }
    }
    hp.intValue("half_life_time_size", 0, 0, Integer.MAX_VALUE);
    return new KMeansHyperparameters(
        k,
        dim,
        hp.choice("init_method", "random", "random", "kmeans++"),
        hp.intValue("mini_batch_size", 5000, 1, Integer.MAX_VALUE),
        hp.intValue("epochs", 1, 1, Integer.MAX_VALUE),
        hp.intValue("extra_center_factor", 2, 1, Integer.MAX_VALUE),
        hp.intValue("local_lloyd_max_iter", 300, 1, Integer.MAX_VALUE),
        hp.doubleValue("local_lloyd_tol", 0.0001, 0, 1),
        hp.choice("local_lloyd_init_method", "kmeans++", "random", "kmeans++"),
        hp.intValue("local_lloyd_num_trials", 5, 1, 1000),
        metrics,
        hp.intValue("seed", 0, 0, Integer.MAX_VALUE));
  }
}
