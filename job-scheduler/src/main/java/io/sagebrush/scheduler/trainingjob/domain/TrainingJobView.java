package io.sagebrush.scheduler.trainingjob.domain;

import java.time.Instant;
import java.util.List;

/**
 * A training job as DescribeTrainingJob shows it.
 *
 * @param spec what was asked for
 * @param arn TrainingJobArn
 * @param status TrainingJobStatus
 * @param secondaryStatus SecondaryStatus
 * @param transitions SecondaryStatusTransitions, oldest first, each with a message
 * @param failureReason FailureReason, null unless Failed (or a stop with a reason)
 * @param modelArtifactUri ModelArtifacts.S3ModelArtifacts
 * @param creationTime CreationTime
 * @param trainingStartTime TrainingStartTime (containers started), may be null
 * @param trainingEndTime TrainingEndTime, null until terminal
 * @param lastModifiedTime LastModifiedTime
 * @param finalMetrics FinalMetricDataList
 * @param waitingFor when the job waits for capacity, what it waits for; else null
 */
public record TrainingJobView(
    TrainingJobSpec spec,
    String arn,
    TrainingJobStatus status,
    SecondaryStatus secondaryStatus,
    List<StatusTransition> transitions,
    String failureReason,
    String modelArtifactUri,
    Instant creationTime,
    Instant trainingStartTime,
    Instant trainingEndTime,
    Instant lastModifiedTime,
    List<MetricValue> finalMetrics,
    String waitingFor) {}
