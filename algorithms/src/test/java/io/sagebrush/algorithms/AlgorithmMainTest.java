package io.sagebrush.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.algorithms.container.OptMl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlgorithmMainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return AlgorithmMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @Test
  void trainWithBaseDirWritesTheModel() {
    OptMl optMl =
        JobDir.at(dir)
            .hp("k", "2")
            .hp("feature_dim", "2")
            .channel("train", "text/csv;label_size=0", "0,0\n0,1\n10,10\n10,11\n")
            .write();

    int code = run(Map.of(), "train", "--algorithm", "kmeans", "--base-dir", dir.toString());

    assertThat(code).isZero();
    assertThat(optMl.modelDir().resolve("model_algo-1")).isRegularFile();
    assertThat(Algorithms.forModel(optMl.modelDir()).name()).isEqualTo("kmeans");
  }

  @Test
  void algorithmAndBaseDirCanComeFromTheEnvironment() {
    OptMl optMl =
        JobDir.at(dir)
            .hp("predictor_type", "regressor")
            .channel("train", "text/csv", Synthetic.regression(50, 1, 0.1))
            .write();

    int code =
        run(
            Map.of("SAGEBRUSH_ALGORITHM", "linear-learner", "SAGEBRUSH_OPT_ML", dir.toString()),
            "train");

    assertThat(code).isZero();
    assertThat(Algorithms.forModel(optMl.modelDir()).name()).isEqualTo("linear-learner");
  }

  @Test
  void clientErrorWritesTheFailureFileAndExitsNonZero() throws Exception {
    OptMl optMl = JobDir.at(dir).hp("k", "2").channel("train", "text/csv", "0,0\n").write();

    int code = run(Map.of(), "train", "--algorithm", "kmeans", "--base-dir", dir.toString());

    assertThat(code).isEqualTo(1);
    assertThat(Files.readString(optMl.failureFile()))
        .isEqualTo("ClientError: missing required hyperparameter 'feature_dim'");
  }

  @Test
  void badDataFailureNamesFileAndLine() throws Exception {
    OptMl optMl =
        JobDir.at(dir).hp("num_round", "2").channel("train", "text/csv", "1,2,3\n1,2\n").write();

    int code = run(Map.of(), "train", "--algorithm", "xgboost", "--base-dir", dir.toString());

    assertThat(code).isEqualTo(1);
    assertThat(Files.readString(optMl.failureFile()))
        .isEqualTo(
            "ClientError: file train/data.csv line 2: expected 3 columns (as in train/data.csv"
                + " line 1), found 2");
  }

  @Test
  void missingAlgorithmOrModeIsExplained() throws Exception {
    JobDir.at(dir).write();

    assertThat(run(Map.of(), "train", "--base-dir", dir.toString())).isEqualTo(1);
    assertThat(Files.readString(new OptMl(dir).failureFile()))
        .startsWith("ClientError: no algorithm chosen");
    assertThat(run(Map.of(), "dance")).isEqualTo(64);
    assertThat(run(Map.of(), "train", "--algorithm", "svm", "--base-dir", dir.toString()))
        .isEqualTo(1);
    assertThat(Files.readString(new OptMl(dir).failureFile()))
        .isEqualTo(
            "ClientError: unknown algorithm 'svm'; expected one of xgboost, linear-learner, kmeans");
  }

  @Test
  void serveWithoutAModelFailsWithAClientError() {
    assertThat(run(Map.of(), "serve", "--base-dir", dir.toString(), "--port", "0")).isEqualTo(1);
  }
}
