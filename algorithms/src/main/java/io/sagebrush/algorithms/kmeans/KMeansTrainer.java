package io.sagebrush.algorithms.kmeans;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.data.Dataset;
import java.io.PrintStream;
import java.util.Random;

/**
 * Fits centroids.
 *
 * <ol>
 *   <li>Seed {@code k * extra_center_factor} centres from the first mini-batch ({@code
 *       init_method}).
 *   <li>Stream the data {@code epochs} times in mini-batches: assign a batch's points to the
 *       centres as they stand, then move each point's centre towards it with rate 1/count
 *       (web-scale mini-batch k-means).
 *   <li>Reduce the weighted centres to {@code k} with local Lloyd's ({@code
 *       local_lloyd_init_method}, best of {@code local_lloyd_num_trials}).
 *   <li>Refine with Lloyd's on the full data until the objective changes by less than {@code
 *       local_lloyd_tol} (relative) or {@code local_lloyd_max_iter} iterations.
 * </ol>
 */
public final class KMeansTrainer {
  private final KMeansHyperparameters hp;
  private double trainSse = Double.NaN;

  /**
   * @param hp validated hyperparameters
   */
  public KMeansTrainer(KMeansHyperparameters hp) {
    this.hp = hp;
  }

  /**
   * Fits the model.
   *
   * @param data the training records (no labels)
   * @param log progress lines
   * @throws AlgorithmException when there are fewer records than {@code k}
   */
  public KMeansModel fit(Dataset data, PrintStream log) {
    int n = data.rows();
    int d = data.cols();
    int k = hp.k();
    if (n < k) {
      throw new AlgorithmException(
          "hyperparameter 'k' is " + k + " but the train channel has only " + n + " records");
    }
    float[] x = data.features();
    Random rng = new Random(hp.seed());
    int kk = (int) Math.min((long) k * hp.extraCenterFactor(), n);

    // 1. seed from the first mini-batch (at least kk records)
    int seedRows = Math.min(n, Math.max(hp.miniBatchSize(), kk));
    double[] sample = new double[seedRows * d];
    for (int i = 0; i < seedRows * d; i++) {
      sample[i] = x[i];
    }
    double[] ones = new double[seedRows];
    java.util.Arrays.fill(ones, 1);
    double[] centres =
        hp.initMethod().equals("kmeans++")
            ? KMeansMath.plusPlus(sample, ones, seedRows, d, kk, rng)
            : KMeansMath.randomPick(sample, ones, seedRows, d, kk, rng);

    // 2. mini-batch streaming: each batch's records are assigned to the centres as they stand
    // at the batch's start (in parallel), then each record moves its centre towards it with rate
    // 1/count (Sculley's web-scale k-means)
    double[] counts = new double[kk];
    int batchSize = hp.miniBatchSize();
    int[] nearest = new int[Math.min(n, batchSize)];
    for (int epoch = 0; epoch < hp.epochs(); epoch++) {
      for (int start = 0; start < n; start += batchSize) {
        int end = Math.min(n, start + batchSize);
        KMeansMath.assignBatch(x, start, end, d, centres, kk, nearest);
        for (int i = start; i < end; i++) {
          int j = nearest[i - start];
          counts[j]++;
          double eta = 1.0 / counts[j];
          int co = j * d;
          int off = i * d;
          for (int t = 0; t < d; t++) {
            centres[co + t] += eta * (x[off + t] - centres[co + t]);
          }
        }
      }
      log.println("#progress: epoch " + (epoch + 1) + " of " + hp.epochs() + " done");
    }

    // 3. reduce kk weighted centres to k
    double[] best = centres;
    if (kk > k) {
      double bestSse = Double.MAX_VALUE;
      for (int trial = 0; trial < hp.localLloydNumTrials(); trial++) {
        double[] c =
            hp.localLloydInitMethod().equals("kmeans++")
                ? KMeansMath.plusPlus(centres, counts, kk, d, k, rng)
                : KMeansMath.randomPick(centres, counts, kk, d, k, rng);
        double sse =
            KMeansMath.lloyd(
                centres, counts, kk, d, c, k, hp.localLloydMaxIter(), hp.localLloydTol());
        if (sse < bestSse) {
          bestSse = sse;
          best = c;
        }
      }
    }

    // 4. refine on the full data
    KMeansMath.Refined refined =
        KMeansMath.lloydFull(x, n, d, best, k, hp.localLloydMaxIter(), hp.localLloydTol());
    trainSse = refined.sse();
    log.println(
        "#progress: Lloyd refinement done after "
            + refined.iterations()
            + " iterations, sum of squared distances "
            + trainSse);
    return new KMeansModel(k, d, best);
  }

  /**
   * The sum of squared distances of the training data to the fitted centroids (what {@link
   * KMeansModel#sumOfSquaredDistances} gives on it), known after {@link #fit}; NaN before.
   */
  public double trainSumOfSquaredDistances() {
    return trainSse;
  }
}
