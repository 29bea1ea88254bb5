package io.sagebrush.scheduler.trainingjob.domain;

import java.util.List;
import java.util.Map;

/**
 * What a CreateTrainingJob request asked for, after the edge validated its shape. The scheduler
 * checks what only it can (instance type known, placement possible) and throws {@code
 * SagebrushException} otherwise.
 *
 * @param name TrainingJobName
 * @param roleArn RoleArn (stored, not enforced)
 * @param image AlgorithmSpecification.TrainingImage, or AlgorithmName when no image was given
 * @param inputMode TrainingInputMode
 * @param entrypoint ContainerEntrypoint, empty when absent
 * @param arguments ContainerArguments, empty when absent
 * @param metricDefinitions MetricDefinitions, empty when absent
 * @param hyperParameters HyperParameters, empty when absent
 * @param environment Environment, empty when absent
 * @param channels InputDataConfig, empty when absent
 * @param outputS3Path OutputDataConfig.S3OutputPath
 * @param compressed false when OutputDataConfig.CompressionType is NONE
 * @param instanceType ResourceConfig.InstanceType
 * @param instanceCount ResourceConfig.InstanceCount (at least 1)
 * @param volumeSizeGb ResourceConfig.VolumeSizeInGB
 * @param maxRuntimeSeconds StoppingCondition.MaxRuntimeInSeconds (default 86400)
 * @param tags Tags given at creation
 * @param requestJson the original request body, echoed back by DescribeTrainingJob for members
 *     Sagebrush stores but does not act on
 */
public record TrainingJobSpec(
    String name,
    String roleArn,
    String image,
    String inputMode,
    List<String> entrypoint,
    List<String> arguments,
    List<MetricDefinition> metricDefinitions,
    Map<String, String> hyperParameters,
    Map<String, String> environment,
    List<Channel> channels,
    String outputS3Path,
    boolean compressed,
    String instanceType,
    int instanceCount,
    int volumeSizeGb,
    long maxRuntimeSeconds,
    List<Tag> tags,
    String requestJson) {}
