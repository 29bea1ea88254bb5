package io.sagebrush.protocol;

import java.util.List;
import java.util.Map;

/**
 * One task for an agent: a job's containers, all on this agent.
 *
 * @param taskId unique id; events and logs are sent under it
 * @param kind what to run
 * @param jobName the job's name
 * @param jobArn the job's ARN
 * @param image the container image (docker runtime) or the built-in/script image name
 * @param entrypoint replaces the image ENTRYPOINT when not empty ({@code train} is then not added)
 * @param arguments container arguments when an entrypoint is given
 * @param environment environment variables for every container (user Environment plus the
 *     platform's: TRAINING_JOB_NAME, TRAINING_JOB_ARN, AWS_REGION, ...)
 * @param hyperParameters written to {@code hyperparameters.json}
 * @param channels input channels
 * @param hosts one entry per host, {@code algo-1..N}
 * @param output where model and output data go
 * @param resources per-host limits
 * @param instanceType e.g. {@code ml.m5.large}, for resourceconfig.json
 * @param inputMode the job's TrainingInputMode
 * @param maxRuntimeSeconds the agent stops the task (as for a stop order) once it ran this long
 * @param stopGraceSeconds seconds between SIGTERM and SIGKILL
 * @param serving for {@link TaskKind#SERVING}: the model to serve; null for training
 */
public record TaskAssignment(
    String taskId,
    TaskKind kind,
    String jobName,
    String jobArn,
    String image,
    List<String> entrypoint,
    List<String> arguments,
    Map<String, String> environment,
    Map<String, String> hyperParameters,
    List<ChannelSpec> channels,
    List<HostSpec> hosts,
    OutputSpec output,
    ResourceSpec resources,
    String instanceType,
    String inputMode,
    long maxRuntimeSeconds,
    long stopGraceSeconds,
    ServingSpec serving) {

  /** A training task (no serving part). */
  public TaskAssignment(
      String taskId,
      TaskKind kind,
      String jobName,
      String jobArn,
      String image,
      List<String> entrypoint,
      List<String> arguments,
      Map<String, String> environment,
      Map<String, String> hyperParameters,
      List<ChannelSpec> channels,
      List<HostSpec> hosts,
      OutputSpec output,
      ResourceSpec resources,
      String instanceType,
      String inputMode,
      long maxRuntimeSeconds,
      long stopGraceSeconds) {
    this(
        taskId,
        kind,
        jobName,
        jobArn,
        image,
        entrypoint,
        arguments,
        environment,
        hyperParameters,
        channels,
        hosts,
        output,
        resources,
        instanceType,
        inputMode,
        maxRuntimeSeconds,
        stopGraceSeconds,
        null);
  }
}
