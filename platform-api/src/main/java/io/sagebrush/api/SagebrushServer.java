package io.sagebrush.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The Sagebrush server: every edge, the scheduler and, in embedded mode, its own dependencies. */
@SpringBootApplication(scanBasePackages = "io.sagebrush")
@ConfigurationPropertiesScan("io.sagebrush")
@EntityScan("io.sagebrush")
@EnableJpaRepositories("io.sagebrush")
public class SagebrushServer {

  public static void main(String[] args) {
    SpringApplication.run(SagebrushServer.class, args);
  }
}
