package io.sagebrush.scheduler.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
  final InstanceCatalogue catalogue = InstanceCatalogue.withDefaults(java.util.Map.of());
  final InstanceType m5large = catalogue.find("ml.m5.large").orElseThrow();
  final InstanceType g4dn = catalogue.find("ml.g4dn.xlarge").orElseThrow();
  final InstanceType p38x = catalogue.find("ml.p3.8xlarge").orElseThrow();
  final Placement placement = new Placement(4.0, 2.0);

  static AgentCapacity agent(
      String id,
      int cpus,
      long mem,
      List<Integer> gpus,
      double usedCpu,
      long usedMem,
      Set<Integer> usedGpus) {
    return new AgentCapacity(id, id, "docker", cpus, mem, gpus, usedCpu, usedMem, usedGpus);
  }

  @Test
  void catalogueKnowsCommonCpuAndGpuTypes() {
    assertThat(m5large).isEqualTo(new InstanceType("ml.m5.large", 2, 8192, 0));
    assertThat(catalogue.find("ml.p4d.24xlarge").orElseThrow().gpus()).isEqualTo(8);
    assertThat(catalogue.find("ml.g5.xlarge").orElseThrow().gpus()).isEqualTo(1);
    assertThat(catalogue.find("ml.t3.medium")).isPresent();
    assertThat(catalogue.find("ml.c5.xlarge")).isPresent();
    assertThat(catalogue.find("ml.r5.large").orElseThrow().memoryMb()).isEqualTo(16384);
    assertThat(catalogue.find("ml.m6i.large")).isPresent();
    assertThat(catalogue.find("ml.unknown")).isEmpty();
    InstanceCatalogue extra =
        InstanceCatalogue.withDefaults(
            java.util.Map.of("ml.local", new InstanceType("ml.local", 1, 512, 0)));
    assertThat(extra.find("ml.local")).isPresent();
  }

  @Test
  void cpuIsOvercommittedUpToItsFactorAndNoFurther() {
    AgentCapacity a = agent("a", 2, 1_000_000, List.of(), 6, 0, Set.of());
    assertThat(placement.choose(m5large, 1, List.of(a)).placed()).isTrue(); // 6 + 2 <= 2 x 4
    AgentCapacity full = agent("a", 2, 1_000_000, List.of(), 6.5, 0, Set.of());
    assertThat(placement.choose(m5large, 1, List.of(full)).placed()).isFalse();
  }

  @Test
  void memoryIsOvercommittedUpToItsFactorAndNoFurther() {
    AgentCapacity a = agent("a", 64, 8192, List.of(), 0, 8192, Set.of());
    assertThat(placement.choose(m5large, 1, List.of(a)).placed())
        .isTrue(); // 8192 + 8192 <= 2 x 8192
    AgentCapacity full = agent("a", 64, 8192, List.of(), 0, 8193, Set.of());
    assertThat(placement.choose(m5large, 1, List.of(full)).placed()).isFalse();
  }

  @Test
  void gpusAreNeverOvercommittedAndGetTheLowestFreeIndicesPerHost() {
    AgentCapacity a = agent("g", 64, 1_000_000, List.of(0, 1, 2, 3), 0, 0, Set.of(1));
    PlacementDecision d = placement.choose(g4dn, 2, List.of(a));
    assertThat(d.placed()).isTrue();
    assertThat(d.gpusPerHost()).containsExactly(List.of(0), List.of(2));
    assertThat(placement.choose(p38x, 1, List.of(a)).placed()).isFalse(); // needs 4, 3 free
    AgentCapacity after = a.reserve(d.totalCpus(), d.totalMemoryMb(), List.of(0, 2));
    assertThat(after.freeGpus()).containsExactly(3);
  }

  @Test
  void aGangGoesToOneDockerAgentOnly() {
    AgentCapacity proc =
        new AgentCapacity("p", "p", "process", 64, 1_000_000, List.of(), 0, 0, Set.of());
    assertThat(placement.choose(m5large, 2, List.of(proc)).placed()).isFalse();
    assertThat(placement.choose(m5large, 1, List.of(proc)).placed()).isTrue();
    AgentCapacity half1 = agent("h1", 2, 8192, List.of(), 0, 0, Set.of());
    AgentCapacity half2 = agent("h2", 2, 8192, List.of(), 0, 0, Set.of());
    // 4 hosts x 8 GiB = 32 GiB: neither agent alone has 2 x 8 GiB x 2 (overcommit) = 16 GiB room
    assertThat(placement.choose(m5large, 4, List.of(half1, half2)).placed()).isFalse();
    PlacementDecision d = placement.choose(m5large, 2, List.of(half1, half2));
    assertThat(d.totalCpus()).isEqualTo(4.0);
    assertThat(d.totalMemoryMb()).isEqualTo(16384);
  }

  @Test
  void workSpreadsToTheLeastLoadedAgent() {
    AgentCapacity busy = agent("busy", 8, 1_000_000, List.of(), 10, 0, Set.of());
    AgentCapacity idle = agent("idle", 8, 1_000_000, List.of(), 0, 0, Set.of());
    assertThat(placement.choose(m5large, 1, List.of(busy, idle)).agent().agentId())
        .isEqualTo("idle");
  }

  @Test
  void waitingMessagesSayExactlyWhatTheJobNeeds() {
    assertThat(Placement.waitingMessage(m5large, 2, List.of()))
        .isEqualTo(
            "Waiting for capacity: needs 2 x ml.m5.large (2 vCPU, 8192 MiB each); no agent registered");
    assertThat(
            placement
                .choose(m5large, 1, List.of(agent("a", 1, 1, List.of(), 0, 0, Set.of())))
                .waitingFor())
        .isEqualTo(
            "Waiting for capacity: needs 1 x ml.m5.large (2 vCPU, 8192 MiB each); no registered agent has it free");
    assertThat(Placement.waitingMessage(g4dn, 1, List.of()))
        .contains("(4 vCPU, 16384 MiB, 1 GPU each)");
  }

  @Test
  void overcommitBelowOneIsRefused() {
    assertThatThrownBy(() -> new Placement(0.5, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }
}
