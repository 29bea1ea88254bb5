package io.sagebrush.scheduler.leader;

import io.sagebrush.scheduler.agent.service.AgentLivenessMonitor;
import io.sagebrush.scheduler.endpoint.service.FleetReconciler;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.trainingjob.service.DeadlineReconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader-only loops: the placer (woken by nudges, else every placement interval), the fleet
 * reconciler (woken by nudges, else every fleet interval), and on a fixed delay the deadline
 * reconciler and the lost-agent check. Every replica runs the threads; only the one that holds the
 * {@link LeaderElection} lock does the work.
 */
public class SchedulerLoops implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoops.class);

  private final boolean enabled;
  private final LeaderElection leader;
  private final Placer placer;
  private final DeadlineReconciler reconciler;
  private final AgentLivenessMonitor liveness;
  private final Duration placementInterval;
  private final Duration reconcileInterval;
  private final Duration livenessInterval;
  private final FleetReconciler fleets;
  private final Duration fleetInterval;
  private final List<Thread> threads = new ArrayList<>();
  private final List<ExtraLoop> extraLoops = new ArrayList<>();
  private volatile boolean running;

  public SchedulerLoops(
      boolean enabled,
      LeaderElection leader,
      Placer placer,
      DeadlineReconciler reconciler,
      AgentLivenessMonitor liveness,
      Duration placementInterval,
      Duration reconcileInterval,
      Duration livenessInterval,
      FleetReconciler fleets,
      Duration fleetInterval) {
    this.fleets = fleets;
    this.fleetInterval = fleetInterval;
    this.enabled = enabled;
    this.leader = leader;
    this.placer = placer;
    this.reconciler = reconciler;
    this.liveness = liveness;
    this.placementInterval = placementInterval;
    this.reconcileInterval = reconcileInterval;
    this.livenessInterval = livenessInterval;
  }

  private record ExtraLoop(String name, Duration delay, Runnable body) {}

  /**
   * Adds a leader-only loop run on a fixed delay (e.g. the alarm evaluation); call before {@link
   * #start()}.
   */
  public synchronized SchedulerLoops withFixedDelayLoop(
      String threadName, Duration delay, Runnable body) {
    extraLoops.add(new ExtraLoop(threadName, delay, body));
    return this;
  }

  /** Starts the loop threads (daemon); does nothing when the loops are disabled. */
  public synchronized void start() {
    if (running || !enabled) {
      return;
    }
    running = true;
    liveness.startWatching();
    threads.add(loop("sagebrush-placer", this::placeLoop));
    threads.add(
        loop(
            "sagebrush-fleets",
            () -> nudgedLoop(fleets.trigger(), fleetInterval, fleets::reconcileOnce)));
    threads.add(
        loop(
            "sagebrush-deadlines", () -> fixedDelay(reconcileInterval, reconciler::reconcileOnce)));
    threads.add(
        loop("sagebrush-agent-liveness", () -> fixedDelay(livenessInterval, liveness::checkOnce)));
    for (ExtraLoop extra : extraLoops) {
      threads.add(loop(extra.name(), () -> fixedDelay(extra.delay(), extra.body())));
    }
    threads.forEach(Thread::start);
  }

  private Thread loop(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private void placeLoop() {
    Signal trigger = placer.trigger();
    while (running) {
      long seen = trigger.generation();
      try {
        if (leader.isLeader()) {
          placer.placeQueued();
        }
      } catch (RuntimeException e) {
        LOG.warn("Placement pass failed: {}", e.toString());
      }
      try {
        trigger.await(seen, placementInterval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void nudgedLoop(Signal trigger, Duration interval, Runnable body) {
    while (running) {
      long seen = trigger.generation();
      try {
        if (leader.isLeader()) {
          body.run();
        }
      } catch (RuntimeException e) {
        LOG.warn("Fleet reconcile pass failed: {}", e.toString());
      }
      try {
        trigger.await(seen, interval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void fixedDelay(Duration delay, Runnable body) {
    while (running) {
      try {
        if (leader.isLeader()) {
          body.run();
        }
      } catch (RuntimeException e) {
        LOG.warn("Scheduler loop pass failed: {}", e.toString());
      }
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops the loops and gives up leadership. */
  @Override
  public synchronized void close() {
    running = false;
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
    leader.close();
  }
}
