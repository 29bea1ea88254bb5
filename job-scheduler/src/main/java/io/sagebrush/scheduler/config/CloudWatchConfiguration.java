package io.sagebrush.scheduler.config;

import io.sagebrush.scheduler.cloudwatch.adapter.persistence.AlarmStore;
import io.sagebrush.scheduler.cloudwatch.adapter.persistence.MetricStore;
import io.sagebrush.scheduler.cloudwatch.service.AlarmEvaluationLoop;
import io.sagebrush.scheduler.cloudwatch.service.CloudWatchService;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the CloudWatch metric store, metric alarms and the leader's alarm evaluation. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlarmProperties.class)
public class CloudWatchConfiguration {

  @Bean
  MetricStore metricStore(JdbcTemplate jdbc) {
    return new MetricStore(jdbc);
  }

  @Bean
  AlarmStore alarmStore(JdbcTemplate jdbc) {
    return new AlarmStore(jdbc);
  }

  @Bean
  CloudWatchService cloudWatchService(
      PlatformTransactionManager txManager,
      AlarmStore alarms,
      MetricStore metrics,
      Clock clock,
      AlarmProperties p) {
    return new CloudWatchService(
        new TransactionTemplate(txManager), alarms, metrics, clock, p.evaluationDelay());
  }

  @Bean
  AlarmEvaluationLoop alarmEvaluationLoop(
      PlatformTransactionManager txManager,
      AlarmStore alarms,
      MetricStore metrics,
      Clock clock,
      AlarmProperties p) {
    return new AlarmEvaluationLoop(
        new TransactionTemplate(txManager),
        alarms,
        metrics,
        clock,
        p.evaluationDelay(),
        p.retention());
  }
}
