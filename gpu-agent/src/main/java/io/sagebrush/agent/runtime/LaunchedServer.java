package io.sagebrush.agent.runtime;

import java.net.InetSocketAddress;

/**
 * The one host of a serving task, started with {@code serve}, whose port is published on the
 * agent's machine. {@link #hosts()} holds that single host; closing removes it.
 */
public interface LaunchedServer extends LaunchedJob {
  /**
   * Where the container's port is published on the agent's machine: the bind address asked for
   * (possibly the wildcard {@code 0.0.0.0}) and the host port the runtime picked.
   */
  InetSocketAddress published();
}
