package io.sagebrush.it;

import static io.sagebrush.it.support.TrainingJobs.BUCKET;
import static io.sagebrush.it.support.TrainingJobs.aChannel;
import static io.sagebrush.it.support.TrainingJobs.aTrainerJob;
import static io.sagebrush.it.support.TrainingJobs.awaitEnded;
import static io.sagebrush.it.support.TrainingJobs.awaitJob;
import static io.sagebrush.it.support.TrainingJobs.awaitLogLine;
import static io.sagebrush.it.support.TrainingJobs.download;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static io.sagebrush.it.support.TrainingJobs.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sagebrush.it.support.Archives;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricData;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.ResourceConfig;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatus;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.StoppingCondition;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/** A custom container through the whole training lifecycle on the docker runtime. */
@ExtendWith(SharedServer.class)
class TrainingJobLifecycleIT {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);

  private static AwsClients clients;
  private static SageMakerClient sm;

  @BeforeAll
  static void connect(SagebrushServerProcess server) {
    clients = server.clients();
    sm = clients.sageMaker();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @Test
  void customContainerTrainsAndUploadsModelAndOutputArchives() {
    String name = uniqueName("trains");
    String train =
        upload(
            clients.s3(),
            BUCKET,
            name + "/train",
            Map.of("part-1.csv", "a,1\nb,2\n", "nested/part-2.csv", "c,3\n"));

    String arn =
        sm.createTrainingJob(
                aTrainerJob(name, Map.of("mode", "succeed", "epochs", "3", "greeting", "hi there"))
                    .inputDataConfig(aChannel("train", train))
                    .algorithmSpecification(
                        AlgorithmSpecification.builder()
                            .trainingImage("sagebrush-test/trainer:1")
                            .trainingInputMode(TrainingInputMode.FILE)
                            .metricDefinitions(
                                MetricDefinition.builder()
                                    .name("train:loss")
                                    .regex("loss=([0-9\\.]+)")
                                    .build(),
                                MetricDefinition.builder()
                                    .name("validation:accuracy")
                                    .regex("validation accuracy=([0-9\\.]+)")
                                    .build())
                            .build())
                    .build())
            .trainingJobArn();
    assertThat(arn).isEqualTo("arn:aws:sagemaker:us-east-1:000000000000:training-job/" + name);

    DescribeTrainingJobResponse job = awaitEnded(sm, name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.COMPLETED);
    assertThat(job.secondaryStatus()).isEqualTo(SecondaryStatus.COMPLETED);
    assertThat(job.failureReason()).isNull();
    assertThat(job.trainingStartTime()).isNotNull();
    assertThat(job.trainingEndTime()).isNotNull();
    assertThat(job.lastModifiedTime()).isNotNull();
    assertThat(job.creationTime()).isBeforeOrEqualTo(job.trainingStartTime());
    assertThat(job.hyperParameters()).containsEntry("greeting", "hi there");

    String modelUri = "s3://" + BUCKET + "/out/" + name + "/output/model.tar.gz";
    assertThat(job.modelArtifacts().s3ModelArtifacts()).isEqualTo(modelUri);
    Map<String, String> model = Archives.untarGz(download(clients.s3(), modelUri));
    assertThat(model).containsKeys("model.txt", "train-copy.txt");
    assertThat(model.get("model.txt"))
        .contains("greeting=hi there")
        .contains("lines=3")
        .contains("files=train/nested/part-2.csv train/part-1.csv");
    assertThat(model.get("train-copy.txt")).isEqualTo("c,3\na,1\nb,2\n");

    Map<String, String> output =
        Archives.untarGz(
            download(clients.s3(), "s3://" + BUCKET + "/out/" + name + "/output/output.tar.gz"));
    assertThat(output).containsEntry("extra.txt", "extra output of " + name + "\n");
  }

  @Test
  void everySecondaryStatusTransitionCarriesAStatusMessage() {
    String name = uniqueName("transitions");
    sm.createTrainingJob(aTrainerJob(name, Map.of("mode", "succeed")).build());

    DescribeTrainingJobResponse job = awaitEnded(sm, name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.COMPLETED);
    List<SecondaryStatusTransition> transitions = job.secondaryStatusTransitions();
    assertThat(transitions)
        .extracting(SecondaryStatusTransition::statusAsString)
        .startsWith("Starting")
        .contains("Training")
        .endsWith("Completed");
    assertThat(transitions)
        .allSatisfy(
            t -> {
              assertThat(t.statusMessage())
                  .as("StatusMessage of %s", t.statusAsString())
                  .isNotBlank();
              assertThat(t.startTime()).as("StartTime of %s", t.statusAsString()).isNotNull();
            });
    assertThat(transitions.subList(0, transitions.size() - 1))
        .allSatisfy(
            t -> assertThat(t.endTime()).as("EndTime of %s", t.statusAsString()).isNotNull());
  }

  @Test
  void finalMetricsComeFromMetricDefinitionRegexesOverTheLog() {
    String name = uniqueName("metrics");
    sm.createTrainingJob(
        aTrainerJob(name, Map.of("mode", "succeed", "epochs", "4"))
            .algorithmSpecification(
                AlgorithmSpecification.builder()
                    .trainingImage("sagebrush-test/trainer:1")
                    .trainingInputMode(TrainingInputMode.FILE)
                    .metricDefinitions(
                        MetricDefinition.builder()
                            .name("train:loss")
                            .regex("loss=([0-9\\.]+)")
                            .build(),
                        MetricDefinition.builder()
                            .name("validation:accuracy")
                            .regex("validation accuracy=([0-9\\.]+)")
                            .build())
                    .build())
            .build());

    DescribeTrainingJobResponse job = awaitEnded(sm, name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.COMPLETED);
    assertThat(job.finalMetricDataList())
        .extracting(MetricData::metricName)
        .containsExactlyInAnyOrder("train:loss", "validation:accuracy");
    MetricData loss = metric(job, "train:loss");
    // the trainer prints loss=0.49, 0.48, 0.47, 0.46 for four epochs: the final value is the last
    assertThat(loss.value()).isCloseTo(0.46f, within(0.0001f));
    assertThat(loss.timestamp()).isNotNull();
    assertThat(metric(job, "validation:accuracy").value()).isCloseTo(0.93f, within(0.0001f));
  }

  private static MetricData metric(DescribeTrainingJobResponse job, String name) {
    return job.finalMetricDataList().stream()
        .filter(m -> m.metricName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void failingContainerEndsFailedWithTheFailureFileAsReason() {
    String name = uniqueName("fails");
    sm.createTrainingJob(aTrainerJob(name, Map.of("mode", "fail")).build());

    DescribeTrainingJobResponse job = awaitEnded(sm, name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
    assertThat(job.secondaryStatus()).isEqualTo(SecondaryStatus.FAILED);
    assertThat(job.failureReason()).contains("bad things");
    assertThat(job.secondaryStatusTransitions())
        .extracting(SecondaryStatusTransition::statusAsString)
        .endsWith("Failed");
  }

  @Test
  void deleteTrainingJobRemovesAnEndedJobAndFreesItsName() {
    String name = uniqueName("deleted");
    sm.createTrainingJob(aTrainerJob(name, Map.of("mode", "sleep", "seconds", "600")).build());
    assertThatThrownBy(() -> sm.deleteTrainingJob(r -> r.trainingJobName(name)))
        .as("a job that has not ended")
        .isInstanceOf(software.amazon.awssdk.services.sagemaker.model.ResourceInUseException.class)
        .hasMessageContaining("is in status InProgress");
    sm.stopTrainingJob(r -> r.trainingJobName(name));
    assertThat(awaitEnded(sm, name, JOB_TIMEOUT).trainingJobStatus())
        .isEqualTo(TrainingJobStatus.STOPPED);

    sm.deleteTrainingJob(r -> r.trainingJobName(name));

    assertThatThrownBy(() -> sm.describeTrainingJob(r -> r.trainingJobName(name)))
        .isInstanceOf(software.amazon.awssdk.services.sagemaker.model.SageMakerException.class)
        .hasMessageContaining("Requested resource not found.");
    assertThat(sm.listTrainingJobs(r -> r.nameContains(name)).trainingJobSummaries()).isEmpty();
    assertThatThrownBy(() -> sm.deleteTrainingJob(r -> r.trainingJobName(name)))
        .isInstanceOf(
            software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException.class);
    // the name is free again
    sm.createTrainingJob(aTrainerJob(name, Map.of("mode", "noop")).build());
    assertThat(awaitEnded(sm, name, JOB_TIMEOUT).trainingJobStatus())
        .isEqualTo(TrainingJobStatus.COMPLETED);
  }

  @Test
  void stopWhileTrainingGoesThroughStoppingToStoppedAndUploadsWhatExists() {
    String name = uniqueName("stop");
    sm.createTrainingJob(aTrainerJob(name, Map.of("mode", "sleep", "seconds", "600")).build());
    awaitJob(
        sm, name, JOB_TIMEOUT, "Training", d -> d.secondaryStatus() == SecondaryStatus.TRAINING);
    // Training is reported as the container starts: wait until its SIGTERM handler is in place
    awaitLogLine(clients.logs(), name, "sleeping for", JOB_TIMEOUT);

    assertThat(sm.listTrainingJobs(r -> r.nameContains(name)).trainingJobSummaries())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.trainingJobStatus()).isEqualTo(TrainingJobStatus.IN_PROGRESS);
              assertThat(s.secondaryStatus()).isEqualTo(SecondaryStatus.TRAINING);
            });

    sm.stopTrainingJob(r -> r.trainingJobName(name));
    DescribeTrainingJobResponse afterStop = sm.describeTrainingJob(r -> r.trainingJobName(name));
    assertThat(afterStop.trainingJobStatus())
        .isIn(TrainingJobStatus.STOPPING, TrainingJobStatus.STOPPED);

    DescribeTrainingJobResponse job = awaitEnded(sm, name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.STOPPED);
    assertThat(job.secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
    assertThat(sm.listTrainingJobs(r -> r.nameContains(name)).trainingJobSummaries())
        .singleElement()
        .satisfies(s -> assertThat(s.secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED));
    assertThat(job.secondaryStatusTransitions())
        .extracting(SecondaryStatusTransition::statusAsString)
        .containsSubsequence("Training", "Stopping", "Stopped");
    // the trainer's SIGTERM handler writes partial.txt: SageMaker uploads what the model dir holds
    Map<String, String> model =
        Archives.untarGz(download(clients.s3(), job.modelArtifacts().s3ModelArtifacts()));
    assertThat(model).containsEntry("partial.txt", "stopped\n");
  }

  @Test
  void stopOfAContainerIgnoringSigtermKillsItAfterTheGracePeriod() {
    String name = uniqueName("stubborn");
    sm.createTrainingJob(
        aTrainerJob(name, Map.of("mode", "sleep", "seconds", "600", "ignore_term", "yes")).build());
    awaitJob(
        sm, name, JOB_TIMEOUT, "Training", d -> d.secondaryStatus() == SecondaryStatus.TRAINING);
    // Training is reported as the container starts: wait until its SIGTERM handler is in place
    awaitLogLine(clients.logs(), name, "sleeping for", JOB_TIMEOUT);

    long stoppedAt = System.nanoTime();
    sm.stopTrainingJob(r -> r.trainingJobName(name));
    DescribeTrainingJobResponse job = awaitEnded(sm, name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.STOPPED);
    // the server runs with a 5 s stop grace (SAGEBRUSH_SCHEDULER_TRAINING_STOP_GRACE)
    assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void exceedingMaxRuntimeEndsStoppedWithMaxRuntimeExceeded() {
    String name = uniqueName("maxruntime");
    sm.createTrainingJob(
        aTrainerJob(name, Map.of("mode", "sleep", "seconds", "600"))
            .stoppingCondition(StoppingCondition.builder().maxRuntimeInSeconds(3).build())
            .build());

    DescribeTrainingJobResponse job = awaitEnded(sm, name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.STOPPED);
    assertThat(job.secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
    assertThat(job.secondaryStatusTransitions())
        .extracting(SecondaryStatusTransition::statusAsString)
        .endsWith("MaxRuntimeExceeded");
  }

  @Test
  void twoInstancesSeeBothHostsAndResolveEachOther() {
    String name = uniqueName("twohosts");
    sm.createTrainingJob(
        aTrainerJob(name, Map.of("mode", "hosts"))
            .resourceConfig(
                ResourceConfig.builder()
                    .instanceType("ml.m5.large")
                    .instanceCount(2)
                    .volumeSizeInGB(1)
                    .build())
            .build());

    DescribeTrainingJobResponse job = awaitEnded(sm, name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus())
        .as("failure: %s", job.failureReason())
        .isEqualTo(TrainingJobStatus.COMPLETED);
    Map<String, String> model =
        Archives.untarGz(download(clients.s3(), job.modelArtifacts().s3ModelArtifacts()));
    assertThat(model.get("resourceconfig-algo-1.json"))
        .as("resourceconfig.json of algo-1 (model.tar.gz holds %s)", model.keySet())
        .isNotNull()
        .containsPattern("\"current_host\"\\s*:\\s*\"algo-1\"")
        .containsPattern("\"hosts\"\\s*:\\s*\\[\\s*\"algo-1\"\\s*,\\s*\"algo-2\"\\s*\\]");
    assertThat(model.get("resolved-algo-1.txt")).as("algo-1 resolved algo-2").startsWith("algo-2 ");
  }

  @Test
  void stopWhileQueuedEndsStoppedWithoutStartingAContainer() {
    String name = uniqueName("queued");
    // no agent here has a GPU, so the job waits for one and says so
    sm.createTrainingJob(
        aTrainerJob(name, Map.of("mode", "succeed"))
            .resourceConfig(
                ResourceConfig.builder()
                    .instanceType("ml.p3.2xlarge")
                    .instanceCount(1)
                    .volumeSizeInGB(1)
                    .build())
            .build());
    DescribeTrainingJobResponse waiting =
        awaitJob(
            sm,
            name,
            Duration.ofSeconds(30),
            "waiting with a message",
            d ->
                d.hasSecondaryStatusTransitions()
                    && !d.secondaryStatusTransitions().isEmpty()
                    && d.secondaryStatusTransitions()
                            .get(d.secondaryStatusTransitions().size() - 1)
                            .statusMessage()
                        != null);
    assertThat(waiting.trainingJobStatus()).isEqualTo(TrainingJobStatus.IN_PROGRESS);
    assertThat(waiting.secondaryStatus()).isIn(SecondaryStatus.STARTING, SecondaryStatus.PENDING);
    assertThat(
            waiting
                .secondaryStatusTransitions()
                .get(waiting.secondaryStatusTransitions().size() - 1)
                .statusMessage())
        .isNotBlank();

    sm.stopTrainingJob(r -> r.trainingJobName(name));
    DescribeTrainingJobResponse job = awaitEnded(sm, name, Duration.ofSeconds(60));

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.STOPPED);
    assertThat(job.secondaryStatusTransitions())
        .extracting(SecondaryStatusTransition::statusAsString)
        .doesNotContain("Training");
  }

  @Test
  void containerEntrypointReplacesTheImageEntrypointWithoutTheTrainArgument() {
    String name = uniqueName("entrypoint");
    sm.createTrainingJob(
        aTrainerJob(name, Map.of())
            .algorithmSpecification(
                AlgorithmSpecification.builder()
                    .trainingImage("sagebrush-test/trainer:1")
                    .trainingInputMode(TrainingInputMode.FILE)
                    .containerEntrypoint("/bin/sh", "-c")
                    .containerArguments("echo \"args:$0 $*\" > /opt/ml/model/entry.txt", "x", "y")
                    .build())
            .build());

    DescribeTrainingJobResponse job = awaitEnded(sm, name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus())
        .as("failure: %s", job.failureReason())
        .isEqualTo(TrainingJobStatus.COMPLETED);
    assertThat(Archives.untarGz(download(clients.s3(), job.modelArtifacts().s3ModelArtifacts())))
        .containsEntry("entry.txt", "args:x y\n");
  }
}
