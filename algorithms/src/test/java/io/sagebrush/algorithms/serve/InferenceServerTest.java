package io.sagebrush.algorithms.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real JDK HTTP server with a predictor that sums features. */
class InferenceServerTest {
  private static InferenceServer server;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Predictor sum =
        new Predictor() {
          @Override
          public int featureDim() {
            return 2;
          }

          @Override
          public String defaultAccept() {
            return "application/json";
          }

          @Override
          public List<Map<String, Object>> predict(float[][] rows) {
            if (rows.length > 0 && rows[0][0] == 666) {
              throw new IllegalStateException("boom");
            }
            return java.util.Arrays.stream(rows)
                .map(
                    r -> {
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("score", r[0] + r[1]);
                      return m;
                    })
                .toList();
          }
        };
    server = new InferenceServer(sum, "127.0.0.1", 0, Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private HttpResponse<String> post(String type, String accept, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/invocations"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", type);
    if (accept != null) {
      b.header("Accept", accept);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pingAnswers200WithEmptyBody() throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ping"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void invocationsAnswerInTheNegotiatedShape() throws Exception {
    HttpResponse<String> json = post("text/csv", null, "1,2\n3,4\n");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(json.body()).isEqualTo("{\"predictions\":[{\"score\":3.0},{\"score\":7.0}]}");

    assertThat(post("text/csv", "text/csv", "1,2\n3,4\n").body()).isEqualTo("3.0\n7.0\n");
    assertThat(post("application/json", "application/jsonlines", "[[1,1]]").body())
        .isEqualTo("{\"score\":2.0}\n");
  }

  @Test
  void badRequestsGet4xxAndTheServerKeepsServing() throws Exception {
    HttpResponse<String> bad = post("text/csv", null, "1,two\n");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("text/csv line 1 column 2: 'two' is not a number");
    assertThat(post("application/x-npy", null, "x").statusCode()).isEqualTo(415);
    assertThat(post("text/csv", "image/png", "1,2").statusCode()).isEqualTo(406);
    assertThat(post("text/csv", null, "").statusCode()).isEqualTo(204);
    assertThat(post("text/csv", null, "666,1").statusCode()).isEqualTo(500);
    assertThat(post("text/csv", null, "1,2").statusCode()).isEqualTo(200);
  }
}
