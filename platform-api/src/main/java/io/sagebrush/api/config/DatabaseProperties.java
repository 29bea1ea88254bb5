package io.sagebrush.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * An external PostgreSQL. When {@code url} is blank the server runs an embedded PostgreSQL with its
 * data under {@code $SAGEBRUSH_HOME/postgres}.
 *
 * @param url JDBC URL (SAGEBRUSH_DB_URL)
 * @param user user name (SAGEBRUSH_DB_USER)
 * @param password password (SAGEBRUSH_DB_PASSWORD)
 */
@ConfigurationProperties("sagebrush.api.database")
public record DatabaseProperties(String url, String user, String password) {

  /** True when an external database is configured. */
  public boolean external() {
    return url != null && !url.isBlank();
  }
}
