package io.sagebrush.algorithms;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.OptMl;
import io.sagebrush.algorithms.container.TrainingConfig;
import io.sagebrush.algorithms.serve.InferenceServer;
import io.sagebrush.algorithms.serve.Predictor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code sagebrush-algorithms.jar}:
 *
 * <pre>
 * java -jar sagebrush-algorithms.jar train|serve [--algorithm xgboost|linear-learner|kmeans]
 *     [--base-dir DIR] [--port N] [--host ADDR]
 * </pre>
 *
 * <p>The algorithm comes from {@code --algorithm}, else {@code $SAGEBRUSH_ALGORITHM}; {@code serve}
 * can also tell it from the model files. The base directory ({@code --base-dir}, else {@code
 * $SAGEBRUSH_OPT_ML}, else {@code /opt/ml}) stands for {@code /opt/ml}. {@code serve} listens on
 * {@code --port}, else {@code $SAGEMAKER_BIND_TO_PORT}, else 8080, on {@code --host} (default
 * {@code 0.0.0.0}; the agent's process runtime passes its bind address). A failed training writes
 * {@code output/failure} ({@code ClientError: ...} for a user's mistake, exit 1; {@code
 * AlgorithmError: ...} otherwise, exit 2).
 */
public final class AlgorithmMain {
  private AlgorithmMain() {}

  /** Runs {@code train} or {@code serve}; see the class comment. */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out));
  }

  /**
   * Parses the command line and runs it.
   *
   * @return the exit code ({@code serve} returns only when the JVM shuts down)
   */
  static int run(String[] args, Map<String, String> env, PrintStream out) {
    String mode = null;
    String algorithm = env.get("SAGEBRUSH_ALGORITHM");
    String baseDir = env.get("SAGEBRUSH_OPT_ML");
    String port = env.get("SAGEMAKER_BIND_TO_PORT");
    String host = "0.0.0.0";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--algorithm" -> algorithm = value(args, ++i, a);
        case "--base-dir" -> baseDir = value(args, ++i, a);
        case "--port" -> port = value(args, ++i, a);
        case "--host" -> host = value(args, ++i, a);
        default -> {
          if (a.startsWith("--")) {
            System.err.println("unknown option " + a);
            return usage();
          }
          mode = a;
        }
      }
    }
    OptMl optMl =
        new OptMl(baseDir == null || baseDir.isBlank() ? OptMl.DEFAULT : Path.of(baseDir));
    if ("train".equals(mode)) {
      return train(optMl, algorithm, out);
    }
    if ("serve".equals(mode)) {
      return serve(optMl, algorithm, host, port, env, out);
    }
    return usage();
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int usage() {
    System.err.println(
        "usage: java -jar sagebrush-algorithms.jar train|serve"
            + " [--algorithm xgboost|linear-learner|kmeans] [--base-dir DIR] [--port N]"
            + " [--host ADDR]");
    return 64;
  }

  static int train(OptMl optMl, String algorithmName, PrintStream out) {
    try {
      if (algorithmName == null || algorithmName.isBlank()) {
        throw new AlgorithmException(
            "no algorithm chosen: pass --algorithm or set SAGEBRUSH_ALGORITHM to one of "
                + String.join(", ", Algorithms.NAMES));
      }
      Algorithm algorithm = Algorithms.byName(algorithmName);
      TrainingConfig config = TrainingConfig.load(optMl);
      Files.createDirectories(optMl.modelDir());
      out.println("Sagebrush " + algorithm.name() + ": training on " + config.channels().keySet());
      long start = System.nanoTime();
      algorithm.train(config, out);
      out.printf("Training finished in %.3f s%n", (System.nanoTime() - start) / 1e9);
      out.flush();
      return 0;
    } catch (AlgorithmException e) {
      return fail(optMl, "ClientError: " + e.getMessage(), 1, null);
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      return fail(optMl, "AlgorithmError: " + e, 2, e);
    }
  }

  private static int fail(OptMl optMl, String reason, int code, Throwable e) {
    System.err.println(reason);
    if (e != null) {
      StringWriter sw = new StringWriter();
      e.printStackTrace(new PrintWriter(sw));
      System.err.println(sw);
    }
    try {
      Files.createDirectories(optMl.outputDir());
      Files.writeString(optMl.failureFile(), reason, StandardCharsets.UTF_8);
    } catch (IOException io) {
      System.err.println("cannot write " + optMl.failureFile() + ": " + io);
    }
    return code;
  }

  static int serve(
      OptMl optMl,
      String algorithmName,
      String host,
      String port,
      Map<String, String> env,
      PrintStream out) {
    try {
      Path modelDir = optMl.modelDir();
      Algorithm algorithm =
          algorithmName == null || algorithmName.isBlank()
              ? Algorithms.forModel(modelDir)
              : Algorithms.byName(algorithmName);
      Predictor predictor = algorithm.load(modelDir);
      int p = port == null || port.isBlank() ? 8080 : Integer.parseInt(port.trim());
      InferenceServer server = new InferenceServer(predictor, host, p, env);
      out.println(
          "Sagebrush " + algorithm.name() + ": serving " + modelDir + " on port " + server.port());
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  }));
      stopped.await();
      return 0;
    } catch (AlgorithmException e) {
      System.err.println("ClientError: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      System.err.println("cannot serve: " + e);
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
