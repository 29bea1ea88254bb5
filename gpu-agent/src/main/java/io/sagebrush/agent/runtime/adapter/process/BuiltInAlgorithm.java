package io.sagebrush.agent.runtime.adapter.process;

import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.nio.file.Path;
import java.util.List;

/**
 * A built-in algorithm the process runtime can run without Docker. Implementations are found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services} entry) or passed to {@link
 * ProcessRuntime} directly.
 */
public interface BuiltInAlgorithm {
  /** True when this algorithm stands for the given training image. */
  boolean handles(String image);

  /**
   * The command line for one host. It runs with the host's {@code /opt/ml} directory as working
   * directory and with the SM_* environment pointing into it.
   *
   * @param task the task
   * @param host the host
   * @param optMl the directory that stands for {@code /opt/ml}
   */
  List<String> command(TaskAssignment task, HostSpec host, Path optMl);

  /**
   * The command line that serves the model in {@code <optMl>/model} over HTTP ({@code GET /ping},
   * {@code POST /invocations}) on {@code bindAddress:port}.
   *
   * @param task the serving task
   * @param optMl the directory that stands for {@code /opt/ml}
   * @param bindAddress the address to listen on
   * @param port the port to listen on
   * @throws io.sagebrush.agent.runtime.StageFailure when this algorithm cannot serve
   */
  default List<String> serveCommand(TaskAssignment task, Path optMl, String bindAddress, int port) {
    throw io.sagebrush.agent.runtime.StageFailure.fatal(
        "ClientError: the built-in algorithm for " + task.image() + " cannot serve models");
  }
}
