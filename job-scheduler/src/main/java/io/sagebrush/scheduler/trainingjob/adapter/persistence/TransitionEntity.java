package io.sagebrush.scheduler.trainingjob.adapter.persistence;

import io.sagebrush.scheduler.trainingjob.domain.SecondaryStatus;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code training_job_transition}: one history entry, never updated. */
@Entity
@Table(name = "training_job_transition")
public class TransitionEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "job_id")
  long jobId;

  @Enumerated(EnumType.STRING)
  TrainingJobState state;

  @Enumerated(EnumType.STRING)
  @Column(name = "secondary_status")
  SecondaryStatus secondaryStatus;

  String reason;
  String message;
  Instant at;

  protected TransitionEntity() {}

  TransitionEntity(
      long jobId,
      TrainingJobState state,
      SecondaryStatus secondaryStatus,
      String reason,
      String message,
      Instant at) {
    this.jobId = jobId;
    this.state = state;
    this.secondaryStatus = secondaryStatus;
    this.reason = reason;
    this.message = message;
    this.at = at;
  }
}
