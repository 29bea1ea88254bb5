package io.sagebrush.api.security;

import io.sagebrush.api.awsjson.AwsErrors;
import io.sagebrush.api.config.AuthProperties;
import io.sagebrush.api.embedded.ServerCredentials;
import io.sagebrush.common.sigv4.SigV4Verifier;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the authentication filter ahead of everything that could read the body. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  SigV4Verifier sigV4Verifier(ServerCredentials credentials, AuthProperties auth, Clock clock) {
    return new SigV4Verifier(
        credentials.accessKey(), credentials.secretKey(), auth.clockSkew(), clock);
  }

  @Bean
  FilterRegistrationBean<AuthenticationFilter> authenticationFilter(
      SigV4Verifier verifier,
      ServerCredentials credentials,
      AwsErrors errors,
      AuthProperties auth) {
    FilterRegistrationBean<AuthenticationFilter> registration =
        new FilterRegistrationBean<>(
            new AuthenticationFilter(verifier, credentials, errors, auth.maxBodySize().toBytes()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    registration.addUrlPatterns("/*");
    return registration;
  }
}
