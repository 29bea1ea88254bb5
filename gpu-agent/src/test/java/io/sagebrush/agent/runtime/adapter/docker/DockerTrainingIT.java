package io.sagebrush.agent.runtime.adapter.docker;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.agent.execution.TaskExecution;
import io.sagebrush.agent.testing.RecordingReporter;
import io.sagebrush.agent.testing.S3Fixture;
import io.sagebrush.agent.testing.TaskBuilder;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training tasks on the real Docker engine with the real embedded S3 server. Uses the local image
 * {@code sagebrush-test/busybox:1} (built by {@code src-it/images/build.sh}); each test scripts the
 * container through an entrypoint override.
 */
class DockerTrainingIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path dir;
  private static S3Fixture s3;
  private static DockerRuntime docker;
  private static final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
  private static final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    Process build = new ProcessBuilder("bash", "../src-it/images/build.sh").inheritIO().start();
    assertThat(build.waitFor()).isZero();
    s3 = S3Fixture.start(dir);
    s3.bucket("out");
    docker = DockerRuntime.connect(null);
    assertThat(docker.ping()).isTrue();
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    timer.shutdownNow();
    docker.close();
    s3.close();
  }

  private TaskExecution execution(TaskAssignment task, RecordingReporter reporter) {
    return new TaskExecution(
        "agent-it",
        task,
        dir.resolve("jobs").resolve(task.taskId()),
        s3.store(),
        docker,
        reporter,
        timer,
        false);
  }

  private TaskEvent run(TaskAssignment task, RecordingReporter reporter) throws Exception {
    execution(task, reporter).run();
    return reporter.awaitResult(Duration.ZERO.plusMillis(1));
  }

  @Test
  void successfulJobUploadsItsModelAndOutputDataAndStreamsLogs() throws Exception {
    s3.put("s3://data/success/train/a.csv", "1,2,3\n");
    TaskBuilder builder =
        aTrainingTask("docker-success")
            .withChannel("train", "s3://data/success/train/", "FullyReplicated")
            .withHyperParameter("epochs", "2")
            .runningShell(
                "echo training on $SM_CURRENT_HOST with $SM_HP_EPOCHS epochs;"
                    + " echo oops >&2;"
                    + " cp /opt/ml/input/data/train/a.csv /opt/ml/model/copy.csv;"
                    + " cp /opt/ml/input/config/hyperparameters.json /opt/ml/model/hp.json;"
                    + " mkdir -p /opt/ml/model/sub && echo $TRAINING_JOB_NAME > /opt/ml/model/sub/job.txt;"
                    + " echo metrics > /opt/ml/output/data/metrics.txt");
    RecordingReporter reporter = new RecordingReporter();

    TaskEvent result = run(builder.build(), reporter);

    assertThat(result.phase()).as(result.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(result.exitCode()).isZero();
    assertThat(reporter.phases())
        .containsExactly(
            TaskPhase.PULLING_IMAGE, TaskPhase.DOWNLOADING, TaskPhase.RUNNING, TaskPhase.UPLOADING);
    assertThat(s3.tarContents(builder.modelUri()))
        .containsEntry("copy.csv", "1,2,3\n")
        .containsEntry("hp.json", "{\"epochs\":\"2\"}")
        .containsEntry("sub/job.txt", "docker-success\n");
    assertThat(s3.tarContents(builder.outputDataUri())).containsEntry("metrics.txt", "metrics\n");
    assertThat(reporter.lines("docker-success/algo-1-1732600000"))
        .contains("training on algo-1 with 2 epochs", "oops");
  }

  @Test
  void uncompressedOutputIsUploadedFileByFile() throws Exception {
    TaskBuilder builder =
        aTrainingTask("docker-uncompressed")
            .uncompressed()
            .runningShell(
                "mkdir -p /opt/ml/model/sub; echo w > /opt/ml/model/sub/weights.bin;"
                    + " echo e > /opt/ml/output/data/eval.txt");

    TaskEvent result = run(builder.build(), new RecordingReporter());

    assertThat(result.phase()).as(result.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(s3.get("s3://out/models/docker-uncompressed/output/model/sub/weights.bin"))
        .isEqualTo("w\n");
    assertThat(s3.get("s3://out/models/docker-uncompressed/output/data/eval.txt")).isEqualTo("e\n");
    assertThat(s3.exists(builder.modelUri())).isFalse();
  }

  @Test
  void failureFileBecomesTheFailureReason() throws Exception {
    RecordingReporter reporter = new RecordingReporter();
    TaskAssignment task =
        aTrainingTask("docker-failure-file")
            .runningShell("printf 'bad input: column 3 is empty' > /opt/ml/output/failure; exit 3")
            .build();

    TaskEvent result = run(task, reporter);

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason()).isEqualTo("bad input: column 3 is empty");
    assertThat(result.exitCode()).isEqualTo(3);
  }

  @Test
  void longFailureFileIsCutTo1024Characters() throws Exception {
    RecordingReporter reporter = new RecordingReporter();
    TaskAssignment task =
        aTrainingTask("docker-long-failure")
            .runningShell(
                "i=0; while [ $i -lt 300 ]; do printf 'abcdefgh' >> /opt/ml/output/failure;"
                    + " i=$((i+1)); done; exit 1")
            .build();

    TaskEvent result = run(task, reporter);

    assertThat(result.failureReason()).hasSize(1024).startsWith("abcdefgh");
  }

  @Test
  void aFailingHostFailsTheJobAndEndsTheOtherHosts() throws Exception {
    TaskAssignment task =
        aTrainingTask("docker-worker-fails")
            .withHosts(2)
            .runningShell(
                "if [ $SM_CURRENT_HOST = algo-2 ]; then printf 'worker died' > /opt/ml/output/failure;"
                    + " exit 9; fi; trap 'exit 143' TERM; while true; do sleep 0.2; done")
            .build();

    TaskEvent result = run(task, new RecordingReporter());

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason()).isEqualTo("worker died");
    assertThat(result.exitCode()).isEqualTo(9);
  }

  @Test
  void nonZeroExitWithoutFailureFileIsAnAlgorithmError() throws Exception {
    RecordingReporter reporter = new RecordingReporter();
    TaskAssignment task = aTrainingTask("docker-exit").runningShell("exit 7").build();

    TaskEvent result = run(task, reporter);

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason())
        .isEqualTo("AlgorithmError: container for algo-1 exited with code 7");
    assertThat(result.exitCode()).isEqualTo(7);
  }

  @Test
  void stopSendsSigtermThenUploadsWhatExistsAndEndsStopped() throws Exception {
    RecordingReporter reporter = new RecordingReporter();
    TaskBuilder builder =
        aTrainingTask("docker-stop")
            .withStopGraceSeconds(20)
            .runningShell(
                "trap 'echo got-term; echo partial > /opt/ml/model/partial.txt; exit 143' TERM;"
                    + " echo started; while true; do sleep 0.2; done");
    TaskExecution execution = execution(builder.build(), reporter);
    pool.execute(execution);
    reporter.awaitLog("started", TIMEOUT);

    execution.requestStop(false);
    TaskEvent result = reporter.awaitResult(TIMEOUT);

    assertThat(result.phase()).isEqualTo(TaskPhase.STOPPED);
    assertThat(result.maxRuntimeExceeded()).isFalse();
    assertThat(reporter.allLines()).contains("got-term");
    assertThat(s3.tarContents(builder.modelUri())).containsEntry("partial.txt", "partial\n");
  }

  @Test
  void maxRuntimeStopsTheJobKillingAContainerThatIgnoresSigterm() throws Exception {
    RecordingReporter reporter = new RecordingReporter();
    TaskAssignment task =
        aTrainingTask("docker-max-runtime")
            .withMaxRuntimeSeconds(2)
            .withStopGraceSeconds(1)
            .runningShell("trap '' TERM; echo stubborn; while true; do sleep 0.2; done")
            .build();
    long started = System.nanoTime();

    TaskEvent result = run(task, reporter);

    assertThat(result.phase()).isEqualTo(TaskPhase.STOPPED);
    assertThat(result.maxRuntimeExceeded()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void twoHostsResolveEachOtherAndBothAppearInResourceConfig() throws Exception {
    RecordingReporter reporter = new RecordingReporter();
    TaskBuilder builder =
        aTrainingTask("docker-two-hosts")
            .withHosts(2)
            .runningShell(
                "cp /opt/ml/input/config/resourceconfig.json /opt/ml/model/rc-$SM_CURRENT_HOST.json;"
                    + " for h in algo-1 algo-2; do ok=0; i=0;"
                    + "  while [ $i -lt 40 ]; do if ping -c1 -W1 $h >/dev/null 2>&1; then ok=1; break; fi;"
                    + "  i=$((i+1)); sleep 0.25; done;"
                    + "  [ $ok = 1 ] || { echo cannot reach $h; exit 5; }; echo $SM_CURRENT_HOST reached $h;"
                    + " done; hostname > /opt/ml/model/hostname-$SM_CURRENT_HOST.txt; sleep 1");

    TaskEvent result = run(builder.build(), reporter);

    assertThat(result.phase())
        .as(result.failureReason() + " " + reporter.allLines())
        .isEqualTo(TaskPhase.SUCCEEDED);
    Map<String, String> model = s3.tarContents(builder.modelUri());
    assertThat(model.get("rc-algo-1.json"))
        .contains("\"current_host\":\"algo-1\"")
        .contains("\"hosts\":[\"algo-1\",\"algo-2\"]");
    assertThat(model.get("rc-algo-2.json")).contains("\"current_host\":\"algo-2\"");
    assertThat(model).containsEntry("hostname-algo-2.txt", "algo-2\n");
    assertThat(reporter.lines("docker-two-hosts/algo-1-1732600000"))
        .contains("algo-1 reached algo-2");
    assertThat(reporter.lines("docker-two-hosts/algo-2-1732600000"))
        .contains("algo-2 reached algo-1");
  }

  @Test
  void shardedByS3KeyGivesEachHostItsShareAndFullyReplicatedGivesAll() throws Exception {
    for (String name : new String[] {"a", "b", "c", "d"}) {
      s3.put("s3://data/shard/train/" + name + ".csv", name);
    }
    s3.put("s3://data/shard/extra/x.csv", "x");
    RecordingReporter reporter = new RecordingReporter();
    TaskBuilder builder =
        aTrainingTask("docker-sharded")
            .withHosts(2)
            .withChannel("train", "s3://data/shard/train/", "ShardedByS3Key")
            .withChannel("extra", "s3://data/shard/extra", "FullyReplicated")
            .runningShell(
                "ls /opt/ml/input/data/train | tr '\\n' ' ' > /opt/ml/model/train-$SM_CURRENT_HOST.txt;"
                    + " ls /opt/ml/input/data/extra | tr '\\n' ' ' > /opt/ml/model/extra-$SM_CURRENT_HOST.txt");

    TaskEvent result = run(builder.build(), reporter);

    assertThat(result.phase()).as(result.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(s3.tarContents(builder.modelUri()))
        .containsEntry("train-algo-1.txt", "a.csv c.csv ")
        .containsEntry("train-algo-2.txt", "b.csv d.csv ")
        .containsEntry("extra-algo-1.txt", "x.csv ")
        .containsEntry("extra-algo-2.txt", "x.csv ");
  }

  @Test
  void manifestChannelDownloadsTheListedObjects() throws Exception {
    s3.put("s3://data/manifest/files/one.csv", "1");
    s3.put("s3://data/manifest/files/skip.csv", "skip");
    s3.put("s3://data/manifest/files/sub/two.csv", "2");
    s3.put(
        "s3://data/manifest/train.manifest",
        "[{\"prefix\":\"s3://data/manifest/files/\"},\"one.csv\",\"sub/two.csv\"]");
    RecordingReporter reporter = new RecordingReporter();
    TaskBuilder builder =
        aTrainingTask("docker-manifest")
            .withManifestChannel("train", "s3://data/manifest/train.manifest")
            .runningShell(
                "cd /opt/ml/input/data/train && find . -type f | sort > /opt/ml/model/files.txt");

    TaskEvent result = run(builder.build(), reporter);

    assertThat(result.phase()).as(result.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(s3.tarContents(builder.modelUri()))
        .containsEntry("files.txt", "./one.csv\n./sub/two.csv\n");
  }

  @Test
  void missingImageFailsWithAClientError() throws Exception {
    RecordingReporter reporter = new RecordingReporter();
    TaskAssignment task =
        aTrainingTask("docker-no-image").withImage("sagebrush-test/absent:1").build();

    TaskEvent result = run(task, reporter);

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason())
        .startsWith("ClientError: image sagebrush-test/absent:1 not found");
    assertThat(reporter.phases()).doesNotContain(TaskPhase.RUNNING);
  }

  @Test
  void missingInputDataFailsNamingTheUri() throws Exception {
    s3.bucket("data");
    RecordingReporter reporter = new RecordingReporter();
    TaskAssignment task =
        aTrainingTask("docker-no-input")
            .withChannel("train", "s3://data/nothing-here/", "FullyReplicated")
            .runningShell("exit 0")
            .build();

    TaskEvent result = run(task, reporter);

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason())
        .startsWith("ClientError: No S3 objects found under S3 URL \"s3://data/nothing-here/\"");
  }

  @Test
  void containersAndNetworkAreRemovedAfterTheJob() throws Exception {
    RecordingReporter reporter = new RecordingReporter();
    TaskAssignment task =
        aTrainingTask("docker-cleanup").withHosts(2).runningShell("exit 0").build();

    run(task, reporter);

    assertThat(docker("ps", "-aq", "--filter", "label=sagebrush.task-id=" + task.taskId()))
        .isEmpty();
    assertThat(docker("network", "ls", "-q", "--filter", "name=" + DockerRuntime.networkName(task)))
        .isEmpty();
  }

  @Test
  void containersLeftByAnEarlierRunOfTheAgentAreRemoved() throws Exception {
    String agentId = "agent-leftover-" + System.nanoTime();
    String id =
        docker(
            "create",
            "--label",
            DockerRuntime.LABEL_AGENT + "=" + agentId,
            "sagebrush-test/busybox:1",
            "sleep",
            "60");
    assertThat(id).isNotEmpty();

    docker.removeLeftovers(agentId);

    assertThat(
            docker("ps", "-aq", "--filter", "label=" + DockerRuntime.LABEL_AGENT + "=" + agentId))
        .isEmpty();
  }

  private static String docker(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = "docker";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return out;
  }
}
