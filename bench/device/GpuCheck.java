import io.sagebrush.agent.capacity.CapacityProbe;
import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.LaunchedHost;
import io.sagebrush.agent.runtime.LaunchedJob;
import io.sagebrush.agent.runtime.TaskRun;
import io.sagebrush.agent.runtime.adapter.process.ProcessRuntime;
import io.sagebrush.agent.testing.TaskBuilder;
import io.sagebrush.protocol.GpuDevice;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A check for a machine with an NVIDIA GPU (not part of the test suite: CI has no GPU). With the
 * agent's own classes it (1) discovers the GPUs with the real nvidia-smi, the way an agent does
 * before it registers, and (2) runs a script-mode training job ({@code gpu_train.py}, PyTorch)
 * through the process runtime twice: on a host given GPU 0, where the script must see exactly
 * that GPU, train on it and write its model to SM_MODEL_DIR; and on a host given no GPU, where
 * it must see none. Prints PASS or FAIL lines; exits 1 on any failure.
 *
 * <p>Usage: {@code java -cp <gpu-agent classes, test classes, common classes, slf4j>
 * GpuCheck.java <dir with gpu_train.py> <work dir> [python]}
 */
public class GpuCheck {
  private static int failures;

  public static void main(String[] args) throws Exception {
    Path code = Path.of(args[0]).toAbsolutePath();
    Path work = Path.of(args[1]).toAbsolutePath();
    String python = args.length > 2 ? args[2] : "python3";

    List<GpuDevice> gpus = new CapacityProbe("nvidia-smi").probe(null, null).gpus();
    System.out.println("discovered " + gpus);
    check(!gpus.isEmpty(), "CapacityProbe finds the GPU(s) nvidia-smi lists");

    ProcessRuntime runtime = new ProcessRuntime(python);
    int withGpu = train(runtime, work, code, "gpu-job", List.of(gpus.isEmpty() ? 0 : gpus.get(0).index()));
    check(withGpu == 0, "a job on a host given GPU 0 trains on it (exit " + withGpu + ")");
    check(
        Files.exists(work.resolve("gpu-job/algo-1/model/model.pt")),
        "its model.pt is in SM_MODEL_DIR");
    int noGpu = train(runtime, work, code, "cpu-job", List.of());
    check(noGpu == 10, "a job on a host given no GPU sees none (exit " + noGpu + ", 10 expected)");
    System.out.println(failures == 0 ? "ALL PASS" : failures + " FAILED");
    System.exit(failures == 0 ? 0 : 1);
  }

  private static int train(
      ProcessRuntime runtime, Path work, Path code, String name, List<Integer> gpus)
      throws Exception {
    TaskAssignment t =
        TaskBuilder.aTrainingTask(name)
            .withImage("sagebrush/pytorch:1")
            .withHyperParameter("sagemaker_program", "\"gpu_train.py\"")
            .withHyperParameter("sagemaker_submit_directory", "\"" + code + "\"")
            .withHyperParameter("epochs", "200")
            .build();
    TaskAssignment task =
        new TaskAssignment(
            t.taskId(), t.kind(), t.jobName(), t.jobArn(), t.image(), t.entrypoint(),
            t.arguments(), t.environment(), t.hyperParameters(), t.channels(),
            List.of(new HostSpec("algo-1", name + "/algo-1", gpus)), t.output(), t.resources(),
            "ml.p5.48xlarge", t.inputMode(), t.maxRuntimeSeconds(), t.stopGraceSeconds(),
            t.serving());
    JobWorkspace ws = new JobWorkspace(work.resolve(name));
    ws.create(List.of("algo-1"));
    TaskRun run = new TaskRun("device-check", task, ws);
    runtime.resolveImage(run, (uri, file) -> {
      throw new IllegalStateException("no download expected: " + uri);
    });
    List<String> lines = new ArrayList<>();
    try (LaunchedJob job = runtime.launch(run, (host, line) -> {
      synchronized (lines) {
        lines.add(line);
      }
      System.out.println("  [" + name + "] " + line);
    })) {
      LaunchedHost host = job.hosts().get(0);
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (host.exitCode().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      job.awaitLogs(Duration.ofSeconds(5));
      return host.exitCode().orElse(-1);
    }
  }

  private static void check(boolean ok, String what) {
    System.out.println((ok ? "PASS " : "FAIL ") + what);
    if (!ok) {
      failures++;
    }
  }
}
