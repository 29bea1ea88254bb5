package io.sagebrush.api.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sagebrush.api.config.DatabaseProperties;
import io.sagebrush.api.config.EmbeddedProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DataSource: an external PostgreSQL when {@code sagebrush.api.database.url} is set, else an
 * embedded PostgreSQL whose data directory under {@code $SAGEBRUSH_HOME/postgres} survives
 * restarts. Flyway and JPA start after it because they depend on the DataSource; it stops after
 * them (beans are destroyed in reverse order).
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {
  private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);
  private static final String BLANK_URL = "'${sagebrush.api.database.url:}'.isBlank()";

  @Bean(destroyMethod = "close")
  @ConditionalOnExpression(BLANK_URL)
  EmbeddedPostgres embeddedPostgres(EmbeddedProperties embedded) {
    Path dataDir = embedded.home().resolve("postgres");
    try {
      Files.createDirectories(dataDir.getParent());
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(false)
              .setPGStartupWait(java.time.Duration.ofSeconds(60))
              // zonky starts PostgreSQL for throwaway test databases (-F, no fsync); this one
              // keeps a user's jobs, so data files are synced. Commits stay asynchronous: an OS
              // crash may lose the last fraction of a second, never corrupt the cluster.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "off")
              .start();
      log.info(
          "Embedded PostgreSQL listening on 127.0.0.1:{}, data in {}", postgres.getPort(), dataDir);
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
    }
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnExpression(BLANK_URL)
  DataSource embeddedDataSource(EmbeddedPostgres postgres) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sagebrush-embedded");
    config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
    config.setUsername("postgres");
    config.setMaximumPoolSize(20);
    return new HikariDataSource(config);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnExpression("!" + BLANK_URL)
  DataSource externalDataSource(DatabaseProperties database) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sagebrush");
    config.setJdbcUrl(database.url());
    config.setUsername(database.user());
    config.setPassword(database.password());
    config.setMaximumPoolSize(20);
    log.info("Using PostgreSQL at {}", database.url());
    return new HikariDataSource(config);
  }
}
