package io.sagebrush.it.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DataSource;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.OutputDataConfig;
import software.amazon.awssdk.services.sagemaker.model.ResourceConfig;
import software.amazon.awssdk.services.sagemaker.model.S3DataSource;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.StoppingCondition;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/** Prose-named builders for training jobs of the test trainer image and waits on their status. */
public final class TrainingJobs {
  /** Built by src-it/images/build.sh from src-it/images/trainer. */
  public static final String TRAINER_IMAGE = "sagebrush-test/trainer:1";

  public static final String ROLE_ARN = "arn:aws:iam::000000000000:role/SageMakerRole";
  public static final String BUCKET = "it-data";
  public static final String LOG_GROUP = "/aws/sagemaker/TrainingJobs";

  private static final Set<TrainingJobStatus> ENDED =
      Set.of(TrainingJobStatus.COMPLETED, TrainingJobStatus.FAILED, TrainingJobStatus.STOPPED);

  private TrainingJobs() {}

  /** A job name unique in this run: {@code <prefix>-<8 hex>}. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A valid one-host job of the test trainer with the given hyperparameters, output under {@code
   * s3://it-data/out}, no input channels, 10 minutes max runtime.
   */
  public static CreateTrainingJobRequest.Builder aTrainerJob(
      String name, Map<String, String> hyperParameters) {
    return CreateTrainingJobRequest.builder()
        .trainingJobName(name)
        .roleArn(ROLE_ARN)
        .algorithmSpecification(
            AlgorithmSpecification.builder()
                .trainingImage(TRAINER_IMAGE)
                .trainingInputMode(TrainingInputMode.FILE)
                .build())
        .hyperParameters(hyperParameters)
        .outputDataConfig(
            OutputDataConfig.builder().s3OutputPath("s3://" + BUCKET + "/out").build())
        .resourceConfig(
            ResourceConfig.builder()
                .instanceType("ml.m5.large")
                .instanceCount(1)
                .volumeSizeInGB(1)
                .build())
        .stoppingCondition(StoppingCondition.builder().maxRuntimeInSeconds(600).build());
  }

  /** An S3Prefix File-mode channel. */
  public static Channel aChannel(String name, String s3Uri) {
    return Channel.builder()
        .channelName(name)
        .dataSource(
            DataSource.builder()
                .s3DataSource(
                    S3DataSource.builder().s3DataType(S3DataType.S3_PREFIX).s3Uri(s3Uri).build())
                .build())
        .build();
  }

  /** Creates the test bucket when missing (idempotent). */
  public static void ensureBucket(S3Client s3, String bucket) {
    try {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException e) {
      // created by an earlier test class
    } catch (S3Exception e) {
      if (e.statusCode() != 409) {
        throw e;
      }
    }
  }

  /** Uploads {@code files} (relative key to content) under {@code s3://bucket/prefix/}. */
  public static String upload(
      S3Client s3, String bucket, String prefix, Map<String, String> files) {
    ensureBucket(s3, bucket);
    files.forEach(
        (key, content) ->
            // bytes (application/octet-stream): the embedded S3 server rejects the signature of a
            // Content-Type with parameters such as "text/plain; charset=UTF-8"
            s3.putObject(
                b -> b.bucket(bucket).key(prefix + "/" + key),
                RequestBody.fromBytes(content.getBytes(StandardCharsets.UTF_8))));
    return "s3://" + bucket + "/" + prefix + "/";
  }

  /** Polls DescribeTrainingJob until {@code condition} holds; fails with the last answer. */
  public static DescribeTrainingJobResponse awaitJob(
      SageMakerClient sm,
      String name,
      Duration timeout,
      String what,
      Predicate<DescribeTrainingJobResponse> condition) {
    AtomicReference<DescribeTrainingJobResponse> last = new AtomicReference<>();
    try {
      Awaitility.await(name + " " + what)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .pollDelay(Duration.ZERO)
          .until(
              () -> {
                DescribeTrainingJobResponse d =
                    sm.describeTrainingJob(r -> r.trainingJobName(name));
                last.set(d);
                return condition.test(d);
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "training job "
              + name
              + " never reached '"
              + what
              + "'; last DescribeTrainingJob: "
              + last.get(),
          e);
    }
    return last.get();
  }

  /** Waits until the job is Completed, Failed or Stopped. */
  public static DescribeTrainingJobResponse awaitEnded(
      SageMakerClient sm, String name, Duration timeout) {
    return awaitJob(sm, name, timeout, "ended", d -> ENDED.contains(d.trainingJobStatus()));
  }

  /** {@code s3://bucket/key} split into bucket and key. */
  public static String[] bucketAndKey(String s3Uri) {
    String rest = s3Uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
  }

  /** The object at an {@code s3://} URI. */
  public static byte[] download(S3Client s3, String s3Uri) {
    String[] bk = bucketAndKey(s3Uri);
    return s3.getObjectAsBytes(b -> b.bucket(bk[0]).key(bk[1])).asByteArray();
  }

  /**
   * Waits until a log line of the job's algo-1 host contains {@code text} (e.g. a line the trainer
   * prints once its SIGTERM handler is installed).
   */
  public static void awaitLogLine(
      software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs,
      String job,
      String text,
      Duration timeout) {
    Awaitility.await(job + " logs '" + text + "'")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                logs
                    .filterLogEvents(
                        r -> r.logGroupName(LOG_GROUP).logStreamNamePrefix(job + "/algo-1-"))
                    .events()
                    .stream()
                    .anyMatch(e -> e.message().contains(text)));
  }
}
