package io.sagebrush.scheduler.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The scheduler's background loops (placer, deadline reconciler, lost-agent check), run only by the
 * replica that holds the PostgreSQL advisory lock.
 *
 * @param enabled false runs no loops (tests drive them by hand)
 * @param leaderLockKey the advisory lock key replicas sharing one database compete for
 */
@ConfigurationProperties("sagebrush.scheduler.loops")
public record LoopProperties(
    @DefaultValue("true") boolean enabled, @DefaultValue("5424861") long leaderLockKey) {}
