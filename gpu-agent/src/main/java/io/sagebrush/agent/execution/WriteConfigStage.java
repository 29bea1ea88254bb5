package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.SageMakerEnvironment;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code hyperparameters.json}, {@code inputdataconfig.json} and {@code resourceconfig.json}
 * into every host's {@code /opt/ml/input/config}.
 */
final class WriteConfigStage implements Stage {
  @Override
  public String name() {
    return "write config";
  }

  @Override
  public void run(TaskContext context) {
    TaskAssignment task = context.task();
    JobWorkspace ws = context.workspace();
    String hyperParameters = SageMakerEnvironment.json(SageMakerEnvironment.hyperParameters(task));
    String inputData = SageMakerEnvironment.json(SageMakerEnvironment.inputDataConfig(task));
    for (HostSpec host : task.hosts()) {
      Path dir = ws.configDir(host.hostName());
      try {
        Files.createDirectories(dir);
        write(dir.resolve("hyperparameters.json"), hyperParameters);
        write(dir.resolve("inputdataconfig.json"), inputData);
        write(
            dir.resolve("resourceconfig.json"),
            SageMakerEnvironment.json(SageMakerEnvironment.resourceConfig(task, host)));
      } catch (IOException e) {
        throw StageFailure.fatal(
            "InternalServerError: could not write the configuration files in " + dir + ": " + e, e);
      }
    }
  }

  private static void write(Path file, String json) throws IOException {
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }
}
