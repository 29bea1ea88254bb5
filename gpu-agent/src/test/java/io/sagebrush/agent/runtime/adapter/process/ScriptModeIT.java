package io.sagebrush.agent.runtime.adapter.process;

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
import java.nio.file.Files;
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
 * Script-mode jobs in the process runtime with the local {@code python3} and the real embedded S3
 * server: the source directory is a {@code sourcedir.tar.gz} in S3.
 */
class ScriptModeIT {
  static final String TRAIN_PY =
      String.join(
          "\n",
          "import argparse, json, os, signal, sys, time",
          "from helper import greet",
          "p = argparse.ArgumentParser()",
          "p.add_argument('--epochs', type=int)",
          "p.add_argument('--lr', type=float)",
          "p.add_argument('--sleep', type=float, default=0)",
          "p.add_argument('--fail', default='')",
          "a = p.parse_args()",
          "model = os.environ['SM_MODEL_DIR']",
          "def term(*_):",
          "    print('got-term', flush=True)",
          "    open(os.path.join(model, 'partial.txt'), 'w').write('partial')",
          "    sys.exit(143)",
          "signal.signal(signal.SIGTERM, term)",
          "print(greet(), 'epochs=%d lr=%s' % (a.epochs, a.lr), flush=True)",
          "print('to stderr', file=sys.stderr, flush=True)",
          "data = open(os.path.join(os.environ['SM_CHANNEL_TRAIN'], 'a.csv')).read()",
          "hosts = json.loads(os.environ['SM_HOSTS'])",
          "cfg = json.load(open('/'.join([os.environ['SM_INPUT_CONFIG_DIR'], 'resourceconfig.json'])))",
          "open(os.path.join(model, 'model.txt'), 'w').write(",
          "    'data=%s hosts=%s current=%s cwd=%s' % (data.strip(), hosts, cfg['current_host'],",
          "    os.path.basename(os.getcwd())))",
          "os.makedirs(os.environ['SM_OUTPUT_DATA_DIR'], exist_ok=True)",
          "open(os.path.join(os.environ['SM_OUTPUT_DATA_DIR'], 'eval.json'), 'w').write('{}')",
          "if a.fail:",
          "    open(os.path.join(os.environ['SM_OUTPUT_DIR'], 'failure'), 'w').write(a.fail)",
          "    sys.exit(2)",
          "end = time.time() + a.sleep",
          "while time.time() < end:",
          "    time.sleep(0.1)",
          "");

  @TempDir static Path dir;
  private static S3Fixture s3;
  private static ProcessRuntime runtime;
  private static final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
  private static final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws IOException {
    s3 = S3Fixture.start(dir);
    s3.bucket("out");
    s3.put("s3://data/script/train/a.csv", "4,5,6");
    s3.putTarGz(
        "s3://code/script/sourcedir.tar.gz",
        Map.of("train.py", TRAIN_PY, "helper.py", "def greet():\n    return 'hello'\n"));
    runtime = new ProcessRuntime("python3");
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    timer.shutdownNow();
    s3.close();
  }

  static TaskBuilder scriptJob(String name) {
    return aTrainingTask(name)
        .withImage("sagebrush/script:1")
        .withChannel("train", "s3://data/script/train/", "FullyReplicated")
        .withHyperParameter("sagemaker_program", "\"train.py\"")
        .withHyperParameter("sagemaker_submit_directory", "\"s3://code/script/sourcedir.tar.gz\"")
        .withHyperParameter("epochs", "3")
        .withHyperParameter("lr", "\"0.25\"");
  }

  private TaskExecution execution(TaskAssignment task, RecordingReporter reporter) {
    return new TaskExecution(
        "agent-it",
        task,
        dir.resolve("jobs").resolve(task.taskId()),
        s3.store(),
        runtime,
        reporter,
        timer,
        false);
  }

  @Test
  void scriptModeJobRunsWithHyperParametersAsArgumentsAndUploadsItsModel() throws Exception {
    TaskBuilder builder = scriptJob("script-success");
    RecordingReporter reporter = new RecordingReporter();

    execution(builder.build(), reporter).run();
    TaskEvent result = reporter.awaitResult(Duration.ofSeconds(1));

    assertThat(result.phase()).as(result.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(s3.tarContents(builder.modelUri()))
        .containsEntry("model.txt", "data=4,5,6 hosts=['algo-1'] current=algo-1 cwd=code");
    assertThat(s3.tarContents(builder.outputDataUri())).containsEntry("eval.json", "{}");
    assertThat(reporter.lines("script-success/algo-1-1732600000"))
        .contains("hello epochs=3 lr=0.25", "to stderr");
  }

  @Test
  void failureFileOfAScriptBecomesTheFailureReason() throws Exception {
    RecordingReporter reporter = new RecordingReporter();

    execution(scriptJob("script-fail").withHyperParameter("fail", "\"diverged\"").build(), reporter)
        .run();
    TaskEvent result = reporter.awaitResult(Duration.ofSeconds(1));

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason()).isEqualTo("diverged");
    assertThat(result.exitCode()).isEqualTo(2);
  }

  @Test
  void stopSendsSigtermToTheScriptAndUploadsWhatExists() throws Exception {
    TaskBuilder builder = scriptJob("script-stop").withHyperParameter("sleep", "60");
    RecordingReporter reporter = new RecordingReporter();
    TaskExecution execution = execution(builder.build(), reporter);
    pool.execute(execution);
    reporter.awaitLog("hello", Duration.ofSeconds(60));

    execution.requestStop(false);
    TaskEvent result = reporter.awaitResult(Duration.ofSeconds(60));

    assertThat(result.phase()).isEqualTo(TaskPhase.STOPPED);
    assertThat(reporter.allLines()).contains("got-term");
    assertThat(s3.tarContents(builder.modelUri())).containsEntry("partial.txt", "partial");
  }

  @Test
  void maxRuntimeKillsAScriptThatIgnoresSigterm(@TempDir Path src) throws Exception {
    Files.writeString(
        src.resolve("stubborn.py"),
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('up', flush=True)\n"
            + "time.sleep(120)\n");
    TaskAssignment task =
        aTrainingTask("script-max-runtime")
            .withImage("sagebrush/script:1")
            .withHyperParameter("sagemaker_program", "stubborn.py")
            .withHyperParameter("sagemaker_submit_directory", src.toString())
            .withMaxRuntimeSeconds(2)
            .withStopGraceSeconds(1)
            .build();
    RecordingReporter reporter = new RecordingReporter();

    execution(task, reporter).run();
    TaskEvent result = reporter.awaitResult(Duration.ofSeconds(1));

    assertThat(result.phase()).isEqualTo(TaskPhase.STOPPED);
    assertThat(result.maxRuntimeExceeded()).isTrue();
  }

  @Test
  void multiHostJobsAreRefusedWithAClearReason() throws Exception {
    RecordingReporter reporter = new RecordingReporter();

    execution(scriptJob("script-two-hosts").withHosts(2).build(), reporter).run();
    TaskEvent result = reporter.awaitResult(Duration.ofSeconds(1));

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason())
        .contains("process runtime runs one host")
        .contains("InstanceCount 2");
  }

  @Test
  void anImageThatIsNotScriptModeNeedsTheDockerRuntime() throws Exception {
    RecordingReporter reporter = new RecordingReporter();

    execution(aTrainingTask("script-docker-image").withImage("my/trainer:1").build(), reporter)
        .run();
    TaskEvent result = reporter.awaitResult(Duration.ofSeconds(1));

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason())
        .isEqualTo(
            "ClientError: The process runtime runs script-mode jobs (hyperparameter"
                + " sagemaker_program) and built-in algorithms; image my/trainer:1 needs the"
                + " docker runtime");
  }

  @Test
  void builtInAlgorithmsPlugIntoTheProcessRuntime() throws Exception {
    BuiltInAlgorithm echo =
        new BuiltInAlgorithm() {
          @Override
          public boolean handles(String image) {
            return image.startsWith("builtin/echo");
          }

          @Override
          public java.util.List<String> command(
              TaskAssignment task, io.sagebrush.protocol.HostSpec host, Path optMl) {
            return java.util.List.of(
                "sh", "-c", "echo built-in on $SM_CURRENT_HOST > model/algo.txt");
          }
        };
    TaskBuilder builder = aTrainingTask("builtin-echo").withImage("builtin/echo:1");
    RecordingReporter reporter = new RecordingReporter();

    new TaskExecution(
            "agent-it",
            builder.build(),
            dir.resolve("jobs").resolve("builtin"),
            s3.store(),
            new ProcessRuntime("python3", java.util.List.of(echo)),
            reporter,
            timer,
            false)
        .run();
    TaskEvent result = reporter.awaitResult(Duration.ofSeconds(1));

    assertThat(result.phase()).as(result.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(s3.tarContents(builder.modelUri()))
        .containsEntry("algo.txt", "built-in on algo-1\n");
  }
}
