package io.sagebrush.scheduler.logs.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code log_group}. */
@Entity
@Table(name = "log_group")
public class LogGroupEntity {
  @Id String name;

  @Column(name = "creation_time")
  long creationTime;

  protected LogGroupEntity() {}
}
