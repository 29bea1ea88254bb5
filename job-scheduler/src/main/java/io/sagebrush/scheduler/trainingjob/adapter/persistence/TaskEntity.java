package io.sagebrush.scheduler.trainingjob.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A row of {@code training_task}: one placement of a job on an agent. */
@Entity
@Table(name = "training_task")
public class TaskEntity {
  @Id String id;

  @Column(name = "job_id")
  long jobId;

  @Column(name = "agent_id")
  String agentId;

  double cpus;

  @Column(name = "memory_mb")
  long memoryMb;

  @Column(name = "gpu_indices")
  String gpuIndices;

  @Column(name = "assignment_json", columnDefinition = "text")
  String assignmentJson;

  @Column(name = "created_at")
  Instant createdAt;

  boolean acknowledged;

  @Column(name = "stop_requested")
  boolean stopRequested;

  boolean ended;

  @Column(name = "missing_polls")
  int missingPolls;

  @Version long version;

  protected TaskEntity() {}
}
