package io.sagebrush.scheduler.logs.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code log_stream}; times are epoch milliseconds. */
@Entity
@Table(name = "log_stream")
public class LogStreamEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "group_name")
  String groupName;

  String name;

  @Column(name = "creation_time")
  long creationTime;

  @Column(name = "first_event_timestamp")
  Long firstEventTimestamp;

  @Column(name = "last_event_timestamp")
  Long lastEventTimestamp;

  @Column(name = "last_ingestion_time")
  Long lastIngestionTime;

  @Column(name = "stored_bytes")
  long storedBytes;

  protected LogStreamEntity() {}
}
