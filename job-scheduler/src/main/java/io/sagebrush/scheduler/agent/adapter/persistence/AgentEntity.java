package io.sagebrush.scheduler.agent.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A row of {@code sched_agent}. */
@Entity
@Table(name = "sched_agent")
public class AgentEntity {
  @Id String id;
  String name;
  int cpus;

  @Column(name = "memory_mb")
  long memoryMb;

  @Column(name = "gpu_indices")
  String gpuIndices;

  @Column(name = "gpus_json", columnDefinition = "text")
  String gpusJson;

  String runtime;

  @Column(name = "agent_version")
  String agentVersion;

  @Column(name = "registered_at")
  Instant registeredAt;

  @Column(name = "last_heartbeat")
  Instant lastHeartbeat;

  boolean lost;
  boolean restarted;

  @Version long version;

  protected AgentEntity() {}
}
