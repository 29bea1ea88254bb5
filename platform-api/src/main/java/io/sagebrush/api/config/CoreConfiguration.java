package io.sagebrush.api.config;

import io.sagebrush.api.embedded.CredentialsFile;
import io.sagebrush.api.embedded.ServerCredentials;
import io.sagebrush.common.arn.Arns;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans every module shares: the clock, the ARN builder and the server's credentials. */
@Configuration(proxyBeanMethods = false)
public class CoreConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  Arns arns(AwsIdentityProperties identity) {
    return new Arns(identity.region(), identity.accountId());
  }

  /** Creates the home directory and resolves (or generates once) the credentials. */
  @Bean
  ServerCredentials serverCredentials(EmbeddedProperties embedded, CredentialsProperties given) {
    return CredentialsFile.resolve(embedded.home(), given);
  }
}
