/**
 * The messages between the control plane and its agents, sent as JSON over HTTP under {@code
 * /agent/v1} with {@code Authorization: Bearer <agent token>}.
 *
 * <pre>
 * POST /agent/v1/register                  AgentRegistration -> RegistrationResponse
 * POST /agent/v1/agents/{agentId}/poll     PollRequest       -> PollResponse  (long poll; also the heartbeat)
 * POST /agent/v1/tasks/{taskId}/events     TaskEvent         -> 204
 * POST /agent/v1/tasks/{taskId}/logs       LogBatch          -> 204
 * </pre>
 *
 * A poll for an agent the control plane does not know (for example one it declared lost) answers
 * 404; the agent then registers again with the same id. Agents only report what they observe; the
 * scheduler alone decides job status.
 */
package io.sagebrush.protocol;
