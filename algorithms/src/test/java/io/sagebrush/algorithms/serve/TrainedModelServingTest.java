package io.sagebrush.algorithms.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.algorithms.Algorithms;
import io.sagebrush.algorithms.JobDir;
import io.sagebrush.algorithms.Synthetic;
import io.sagebrush.algorithms.container.TrainingConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains each algorithm, then serves the model it wrote over real HTTP. */
class TrainedModelServingTest {
  @TempDir Path dir;
  private final HttpClient client = HttpClient.newHttpClient();

  private InferenceServer serve(String algorithm, JobDir job) throws Exception {
    TrainingConfig config = job.config();
    Algorithms.byName(algorithm)
        .train(config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Path model = config.optMl().modelDir();
    return new InferenceServer(Algorithms.forModel(model).load(model), "127.0.0.1", 0, Map.of());
  }

  private HttpResponse<String> post(InferenceServer s, String type, String accept, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/invocations"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", type);
    if (accept != null) {
      b.header("Accept", accept);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void xgboostAnswersCsvByDefaultOnePredictionPerLine() throws Exception {
    try (InferenceServer s =
        serve(
            "xgboost",
            JobDir.at(dir)
                .hp("num_round", "10")
                .channel("train", "text/csv", Synthetic.regression(300, 1, 0.1)))) {
      HttpResponse<String> csv = post(s, "text/csv", null, "0,0,0\n1,1,1\n2,2,2\n");
      assertThat(csv.headers().firstValue("Content-Type")).contains("text/csv");
      assertThat(csv.body().split("\n")).hasSize(3).allMatch(l -> l.matches("-?[0-9.]+(E-?\\d+)?"));

      HttpResponse<String> json = post(s, "text/libsvm", "application/json", "0:1 2:5\n");
      assertThat(json.body()).matches("\\{\"predictions\":\\[\\{\"score\":-?[0-9.]+}]}");

      assertThat(post(s, "text/csv", null, "1,2\n").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void linearLearnerAnswersJsonByDefault() throws Exception {
    try (InferenceServer s =
        serve(
            "linear-learner",
            JobDir.at(dir)
                .hp("predictor_type", "binary_classifier")
                .hp("mini_batch_size", "50")
                .channel("train", "text/csv", Synthetic.binary(500, 2)))) {
      HttpResponse<String> json = post(s, "text/csv", null, "3,3,0\n-3,-3,0\n");
      assertThat(json.body())
          .matches(
              "\\{\"predictions\":\\[\\{\"score\":0\\.9\\d*,\"predicted_label\":1},"
                  + "\\{\"score\":[0-9.E-]+,\"predicted_label\":0}]}");

      HttpResponse<String> lines =
          post(s, "application/jsonlines", "application/jsonlines", "{\"features\":[3,3,0]}\n");
      assertThat(lines.body()).startsWith("{\"score\":0.9").endsWith("\"predicted_label\":1}\n");
    }
  }

  @Test
  void kMeansAnswersClusterAndDistance() throws Exception {
    try (InferenceServer s =
        serve(
            "kmeans",
            JobDir.at(dir)
                .hp("k", "4")
                .hp("feature_dim", "2")
                .channel("train", "text/csv;label_size=0", Synthetic.blobs(200, 3)))) {
      HttpResponse<String> csv = post(s, "application/json", "text/csv", "[[10,10],[-10,-10]]");
      assertThat(csv.body().split("\n"))
          .hasSize(2)
          .allMatch(l -> l.matches("[0-3]\\.0,0\\.\\d+(E-\\d+)?"));

      HttpResponse<String> json = post(s, "text/csv", null, "10,10\n");
      assertThat(json.body())
          .matches(
              "\\{\"predictions\":\\[\\{\"closest_cluster\":[0-3]\\.0,\"distance_to_cluster\":[0-9.E-]+}]}");
    }
  }
}
