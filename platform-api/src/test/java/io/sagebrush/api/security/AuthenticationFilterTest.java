package io.sagebrush.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.api.awsjson.AwsErrors;
import io.sagebrush.api.awsjson.AwsJsonMapper;
import io.sagebrush.api.embedded.ServerCredentials;
import io.sagebrush.common.sigv4.SigV4Verifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AuthenticationFilterTest {
  final ServerCredentials credentials =
      new ServerCredentials("SBACCESS", "secret", "agent-token", Path.of("credentials"));
  final AuthenticationFilter filter =
      new AuthenticationFilter(
          new SigV4Verifier("SBACCESS", "secret", Duration.ofMinutes(15), Clock.systemUTC()),
          credentials,
          new AwsErrors(new AwsJsonMapper()),
          1024 * 1024);

  @ParameterizedTest
  @ValueSource(strings = {"/gateway/v1/routing-table", "/agent/v1/poll"})
  void theAgentAndGatewayApisRefuseRequestsWithoutTheAgentToken(String path) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
    request.addHeader("Authorization", "Bearer wrong");
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();

    filter.doFilter(request, response, chain);

    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(chain.getRequest()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/gateway/v1/routing-table", "/agent/v1/poll"})
  void theAgentAndGatewayApisAcceptTheAgentToken(String path) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
    request.addHeader("Authorization", "Bearer agent-token");
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();

    filter.doFilter(request, response, chain);

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(chain.getRequest()).isNotNull();
  }
}
