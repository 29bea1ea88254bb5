package io.sagebrush.api.embedded;

import io.sagebrush.api.config.AwsIdentityProperties;
import io.sagebrush.api.config.DatabaseProperties;
import io.sagebrush.api.config.EmbeddedProperties;
import io.sagebrush.protocol.StorageSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the user, once everything is up, where each part listens and which credentials to configure
 * the AWS CLI with (the secret too: a new user needs it, and it is already in the credentials file
 * on this machine).
 */
@Component
public class StartupReport {
  private static final Logger log = LoggerFactory.getLogger(StartupReport.class);
  private final ServerCredentials credentials;
  private final StorageSettings storage;
  private final EmbeddedProperties embedded;
  private final DatabaseProperties database;
  private final AwsIdentityProperties identity;

  public StartupReport(
      ServerCredentials credentials,
      StorageSettings storage,
      EmbeddedProperties embedded,
      DatabaseProperties database,
      AwsIdentityProperties identity) {
    this.credentials = credentials;
    this.storage = storage;
    this.embedded = embedded;
    this.database = database;
    this.identity = identity;
  }

  @EventListener
  public void ready(ApplicationReadyEvent event) {
    int port =
        event.getApplicationContext() instanceof WebServerApplicationContext web
            ? web.getWebServer().getPort()
            : -1;
    String api = "http://localhost:" + port;
    log.info(
        """
        Sagebrush is ready.
          SageMaker API, CloudWatch Logs, REST /api/v1, agent API /agent/v1: {}
          S3:        {}
          Database:  {}
          Home:      {}
          Region {} / account {}
          Credentials (kept in {}):
            AWS_ACCESS_KEY_ID={}
            AWS_SECRET_ACCESS_KEY={}
            agent token: {}
          Try: aws sagemaker list-training-jobs --endpoint-url {} --region {}""",
        api,
        storage.endpoint(),
        database.external()
            ? database.url()
            : "embedded PostgreSQL (" + embedded.home().resolve("postgres") + ")",
        embedded.home(),
        identity.region(),
        identity.accountId(),
        credentials.file(),
        credentials.accessKey(),
        credentials.secretKey(),
        credentials.agentToken(),
        api,
        identity.region());
  }
}
