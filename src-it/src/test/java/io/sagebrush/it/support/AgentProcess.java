package io.sagebrush.it.support;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standalone agent ({@code gpu-agent/target/sagebrush-agent.jar}) started as a child process
 * against a control plane URL with the agent token. Output goes to {@code
 * target/it-logs/<name>.log}.
 */
public final class AgentProcess implements AutoCloseable {
  private final JavaProcess process;
  private final Map<String, String> env;
  private final Path workDir;

  private AgentProcess(String name, URI controlPlane, String runtime, Map<String, String> extra) {
    this.workDir = JavaProcess.workDirectory("agent-" + name + "-");
    Map<String, String> e = new LinkedHashMap<>();
    e.put("SAGEBRUSH_CONTROL_PLANE_URL", controlPlane.toString());
    e.put("SAGEBRUSH_AGENT_TOKEN", SagebrushServerProcess.AGENT_TOKEN);
    e.put("SAGEBRUSH_AGENT_WORK_DIR", workDir.toString());
    e.put("SAGEBRUSH_RUNTIME", runtime);
    e.put("SAGEBRUSH_AGENT_NAME", name);
    e.putAll(extra);
    this.env = Map.copyOf(e);
    Path jar =
        JavaProcess.requiredFile("sagebrush.agent.jar", "../gpu-agent/target/sagebrush-agent.jar");
    this.process =
        new JavaProcess(
            "agent " + name,
            jar,
            JavaProcess.logDirectory().resolve(name + ".log"),
            List.of("-Xmx256m", "-XX:+UseSerialGC"));
  }

  /**
   * Starts an agent for {@code server} with the given runtime ({@code docker} or {@code process}).
   */
  public static AgentProcess start(String name, SagebrushServerProcess server, String runtime) {
    AgentProcess agent = new AgentProcess(name, server.apiEndpoint(), runtime, Map.of());
    agent.process.start(agent.env);
    return agent;
  }

  /** Starts the agent again with the same work directory, so it keeps its agent id. */
  public void restart() {
    process.start(env);
  }

  /** SIGKILL: the agent vanishes without a word, as when its host dies. */
  public void kill() {
    process.kill();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path workDir() {
    return workDir;
  }

  public String logTail(int lines) {
    return process.logTail(lines);
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(30));
  }
}
