package io.sagebrush.algorithms;

import io.sagebrush.algorithms.container.TrainingConfig;
import io.sagebrush.algorithms.serve.Predictor;
import java.io.PrintStream;
import java.nio.file.Path;

/** One built-in algorithm: trains from a container config and serves the model it wrote. */
public interface Algorithm {
  /** The name used on the command line: {@code xgboost}, {@code linear-learner}, {@code kmeans}. */
  String name();

  /**
   * Trains on the job's channels and writes the model into {@code config.optMl().modelDir()}.
   *
   * @param config hyperparameters and channels
   * @param log where progress and metric lines go (the job's log)
   * @throws io.sagebrush.algorithms.container.AlgorithmException on a user's mistake
   */
  void train(TrainingConfig config, PrintStream log);

  /**
   * Loads the model a previous {@link #train} wrote (the unpacked model.tar.gz).
   *
   * @param modelDir the directory that stands for {@code /opt/ml/model}
   * @throws io.sagebrush.algorithms.container.AlgorithmException when the model is missing or not
   *     this algorithm's
   */
  Predictor load(Path modelDir);
}
