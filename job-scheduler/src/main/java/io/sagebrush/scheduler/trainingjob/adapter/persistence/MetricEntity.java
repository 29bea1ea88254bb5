package io.sagebrush.scheduler.trainingjob.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code training_job_metric}: the last value of one metric definition. */
@Entity
@Table(name = "training_job_metric")
public class MetricEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "job_id")
  long jobId;

  @Column(name = "metric_name")
  String metricName;

  double value;
  Instant at;

  protected MetricEntity() {}
}
