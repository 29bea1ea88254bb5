package io.sagebrush.agent;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code sagebrush-agent.jar}: reads {@link AgentConfig#fromEnvironment}, lets
 * command-line flags override it, starts the agent and runs until SIGTERM/SIGINT.
 */
public final class AgentMain {
  /** Flag to environment variable. */
  static final Map<String, String> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("--control-plane-url", "SAGEBRUSH_CONTROL_PLANE_URL");
    FLAGS.put("--token", "SAGEBRUSH_AGENT_TOKEN");
    FLAGS.put("--work-dir", "SAGEBRUSH_AGENT_WORK_DIR");
    FLAGS.put("--runtime", "SAGEBRUSH_RUNTIME");
    FLAGS.put("--name", "SAGEBRUSH_AGENT_NAME");
    FLAGS.put("--cpus", "SAGEBRUSH_AGENT_CPUS");
    FLAGS.put("--memory-mb", "SAGEBRUSH_AGENT_MEMORY_MB");
    FLAGS.put("--s3-endpoint", "SAGEBRUSH_S3_ENDPOINT");
    FLAGS.put("--access-key", "SAGEBRUSH_ACCESS_KEY");
    FLAGS.put("--secret-key", "SAGEBRUSH_SECRET_KEY");
    FLAGS.put("--region", "SAGEBRUSH_REGION");
    FLAGS.put("--docker-host", "DOCKER_HOST");
    FLAGS.put("--nvidia-smi", "SAGEBRUSH_NVIDIA_SMI");
    FLAGS.put("--python", "SAGEBRUSH_PYTHON");
    FLAGS.put("--keep-job-dirs", "SAGEBRUSH_AGENT_KEEP_JOB_DIRS");
    FLAGS.put("--advertise-host", "SAGEBRUSH_AGENT_ADVERTISE_HOST");
    FLAGS.put("--bind-address", "SAGEBRUSH_AGENT_BIND_ADDRESS");
  }

  private AgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "sagebrush-agent-logback.xml");
    }
    AgentConfig config;
    try {
      config = parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("sagebrush-agent: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (config == null) {
      System.out.println(usage());
      return;
    }
    Agent agent = new Agent(config);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  done.countDown();
                },
                "sagebrush-agent-shutdown"));
    agent.start();
    done.await();
  }

  /**
   * Builds the configuration from the environment and flags ({@code --flag value} or {@code
   * --flag=value}); flags win. Returns null for {@code --help}.
   *
   * @throws IllegalArgumentException for an unknown flag or a malformed value
   */
  static AgentConfig parse(String[] args, Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      String flag = arg;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (flag.equals("--keep-job-dirs")) {
        value = "true";
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        value = args[++i];
      }
      String variable = FLAGS.get(flag);
      if (variable == null) {
        throw new IllegalArgumentException("unknown option " + flag);
      }
      env.put(variable, value);
    }
    return AgentConfig.fromEnvironment(env);
  }

  static String usage() {
    StringBuilder b = new StringBuilder("usage: java -jar sagebrush-agent.jar [options]\n");
    FLAGS.forEach((flag, var) -> b.append(String.format("  %-22s (env %s)%n", flag, var)));
    return b.toString();
  }
}
