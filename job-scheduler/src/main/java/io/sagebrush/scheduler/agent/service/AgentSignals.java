package io.sagebrush.scheduler.agent.service;

import io.sagebrush.scheduler.leader.Signal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One in-memory wake-up per agent: placements and stop orders end its long poll early. */
public final class AgentSignals {
  private final ConcurrentMap<String, Signal> signals = new ConcurrentHashMap<>();

  /** The agent's signal. */
  public Signal of(String agentId) {
    return signals.computeIfAbsent(agentId, id -> new Signal());
  }

  /** Wakes the agent's poll, if one waits here. */
  public void wake(String agentId) {
    of(agentId).fire();
  }
}
