package io.sagebrush.scheduler.support;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.protocol.StorageSettings;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The test application: scans the scheduler and provides what the platform provides in production
 * (a clock, ARNs, storage settings) plus a data source on the embedded PostgreSQL.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan("io.sagebrush.scheduler.config")
@EntityScan("io.sagebrush.scheduler")
@EnableJpaRepositories("io.sagebrush.scheduler")
public class SchedulerTestApplication {
  /** Where every test's virtual time starts. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Bean
  MutableClock clock() {
    return new MutableClock(T0);
  }

  @Bean
  Arns arns() {
    return new Arns("us-east-1", "000000000000");
  }

  @Bean
  StorageSettings storageSettings() {
    return new StorageSettings("http://localhost:9000", "us-east-1", "ak", "sk");
  }

  @Bean
  DataSource dataSource() {
    return EmbeddedPostgresDatabase.pooledDataSource(20);
  }
}
