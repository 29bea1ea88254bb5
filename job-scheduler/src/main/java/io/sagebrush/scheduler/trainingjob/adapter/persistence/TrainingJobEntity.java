package io.sagebrush.scheduler.trainingjob.adapter.persistence;

import io.sagebrush.scheduler.trainingjob.domain.SecondaryStatus;
import io.sagebrush.scheduler.trainingjob.domain.StopCause;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobState;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A row of {@code training_job}; {@code version} makes every write compare-and-set. */
@Entity
@Table(name = "training_job")
public class TrainingJobEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  String name;

  @Column(name = "name_lower")
  String nameLower;

  String arn;

  @Enumerated(EnumType.STRING)
  TrainingJobState state;

  @Enumerated(EnumType.STRING)
  TrainingJobStatus status;

  @Enumerated(EnumType.STRING)
  @Column(name = "secondary_status")
  SecondaryStatus secondaryStatus;

  @Enumerated(EnumType.STRING)
  @Column(name = "stop_cause")
  StopCause stopCause;

  @Column(name = "failure_reason")
  String failureReason;

  @Column(name = "waiting_for")
  String waitingFor;

  @Column(name = "spec_json", columnDefinition = "text")
  String specJson;

  @Column(name = "model_artifact_uri")
  String modelArtifactUri;

  @Column(name = "creation_time")
  Instant creationTime;

  @Column(name = "training_start_time")
  Instant trainingStartTime;

  @Column(name = "training_end_time")
  Instant trainingEndTime;

  @Column(name = "last_modified_time")
  Instant lastModifiedTime;

  @Column(name = "state_since")
  Instant stateSince;

  @Column(name = "placement_attempts")
  int placementAttempts;

  @Version long version;

  protected TrainingJobEntity() {}
}
