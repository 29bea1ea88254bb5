package io.sagebrush.scheduler.logs.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code log_event}; the id is global and increasing. */
@Entity
@Table(name = "log_event")
public class LogEventEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "stream_id")
  long streamId;

  @Column(name = "event_timestamp")
  long eventTimestamp;

  @Column(name = "ingestion_time")
  long ingestionTime;

  @Column(columnDefinition = "text")
  String message;

  protected LogEventEntity() {}
}
