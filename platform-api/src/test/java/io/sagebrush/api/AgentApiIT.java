package io.sagebrush.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.api.support.EmbeddedHome;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent API: bearer token, registration, long poll, 404 for unknown agents. */
class AgentApiIT extends EmbeddedServerTestBase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String REGISTRATION =
      "{\"name\":\"it-agent\",\"cpus\":2,\"memoryMb\":2048,\"gpus\":[],\"runtime\":\"docker\",\"version\":\"test\"}";

  @Test
  void withoutTheAgentTokenTheAgentApiIs401() {
    assertThat(http.plain("POST", "/agent/v1/register", json(), REGISTRATION, false).statusCode())
        .isEqualTo(401);
    assertThat(
            http.plain("POST", "/agent/v1/register", bearer("wrong"), REGISTRATION, false)
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void aRegisteredAgentGetsStorageAndItsPollIsAnsweredWithinTheWait() throws Exception {
    HttpResponse<String> registered =
        http.plain(
            "POST", "/agent/v1/register", bearer(EmbeddedHome.AGENT_TOKEN), REGISTRATION, false);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    JsonNode response = JSON.readTree(registered.body());
    String agentId = response.get("agentId").asText();
    assertThat(response.get("storage").get("endpoint").asText()).startsWith("http://127.0.0.1:");
    assertThat(response.get("storage").get("accessKey").asText())
        .isEqualTo(EmbeddedHome.ACCESS_KEY);

    long start = System.nanoTime();
    HttpResponse<String> poll =
        http.plain(
            "POST",
            "/agent/v1/agents/" + agentId + "/poll",
            bearer(EmbeddedHome.AGENT_TOKEN),
            "{\"runningTaskIds\":[]}",
            false);
    assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
    assertThat(JSON.readTree(poll.body()).has("assign")).isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
  }

  @Test
  void pollingAsAnUnknownAgentIs404SoTheAgentRegistersAgain() {
    HttpResponse<String> poll =
        http.plain(
            "POST",
            "/agent/v1/agents/no-such-agent/poll",
            bearer(EmbeddedHome.AGENT_TOKEN),
            "{\"runningTaskIds\":[]}",
            false);

    assertThat(poll.statusCode()).isEqualTo(404);
  }

  private static Map<String, String> json() {
    return Map.of("Content-Type", "application/json");
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token);
  }
}
