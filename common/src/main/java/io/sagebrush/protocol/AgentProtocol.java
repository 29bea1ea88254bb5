package io.sagebrush.protocol;

/** Paths and header names of the agent API, shared by the server edge and the agent client. */
public final class AgentProtocol {
  public static final String BASE = "/agent/v1";
  public static final String REGISTER = BASE + "/register";

  /** {@code {agentId}} is replaced by the agent id. */
  public static final String POLL = BASE + "/agents/{agentId}/poll";

  public static final String TASK_EVENTS = BASE + "/tasks/{taskId}/events";
  public static final String TASK_LOGS = BASE + "/tasks/{taskId}/logs";

  private AgentProtocol() {}

  public static String poll(String agentId) {
    return POLL.replace("{agentId}", agentId);
  }

  public static String taskEvents(String taskId) {
    return TASK_EVENTS.replace("{taskId}", taskId);
  }

  public static String taskLogs(String taskId) {
    return TASK_LOGS.replace("{taskId}", taskId);
  }
}
