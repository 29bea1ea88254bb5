# Sagebrush standalone agent (gpu-agent) for the full stack in docker-compose.yml.
# Build the jar first: ./mvnw -DskipTests package  (gives gpu-agent/target/sagebrush-agent.jar)
# then: docker build -f docker/agent.Dockerfile -t sagebrush/agent .
#
# The agent drives the host's Docker engine through /var/run/docker.sock and bind-mounts job
# directories into training containers, so its work directory must be mounted at the same
# absolute path on the host and in this container (see docker-compose.yml). It runs as root
# because the socket's group differs from host to host.
FROM eclipse-temurin:17-jre

# python3 lets the process runtime run script-mode jobs when SAGEBRUSH_RUNTIME=process.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/sagebrush/agent

COPY gpu-agent/target/sagebrush-agent.jar /opt/sagebrush/sagebrush-agent.jar

ENV SAGEBRUSH_AGENT_WORK_DIR=/var/lib/sagebrush/agent \
    SAGEBRUSH_RUNTIME=docker \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50"

# The agent has no port of its own; it is healthy while its JVM runs (PID 1).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD kill -0 1 || exit 1

ENTRYPOINT ["java", "-jar", "/opt/sagebrush/sagebrush-agent.jar"]
