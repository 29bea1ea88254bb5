package io.sagebrush.agent.runtime;

import java.util.OptionalInt;

/** One started host (container or process) of a task. */
public interface LaunchedHost {
  /** {@code algo-1} .. {@code algo-N}. */
  String hostName();

  /** The exit code once the host ended; empty while it runs. Never blocks. */
  OptionalInt exitCode();

  /** Asks the host to end (SIGTERM). Idempotent; a no-op when it already ended. */
  void terminate();

  /** Ends the host at once (SIGKILL). Idempotent; a no-op when it already ended. */
  void kill();
}
