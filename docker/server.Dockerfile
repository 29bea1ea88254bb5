# Sagebrush control plane (platform-api) for the full stack in docker-compose.yml.
# Build the jar first: ./mvnw -DskipTests package  (gives platform-api/target/sagebrush-server.jar)
# then: docker build -f docker/server.Dockerfile -t sagebrush/server .
FROM eclipse-temurin:17-jre

# curl for the health check below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/sagebrush sagebrush \
    && mkdir -p /var/lib/sagebrush \
    && chown sagebrush:sagebrush /var/lib/sagebrush

COPY platform-api/target/sagebrush-server.jar /opt/sagebrush/sagebrush-server.jar

USER sagebrush
ENV SAGEBRUSH_HOME=/var/lib/sagebrush \
    SAGEBRUSH_API_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME /var/lib/sagebrush
EXPOSE 8080 8443

HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
    CMD curl -fsS http://localhost:8080/actuator/health || exit 1

ENTRYPOINT ["java", "-jar", "/opt/sagebrush/sagebrush-server.jar"]
