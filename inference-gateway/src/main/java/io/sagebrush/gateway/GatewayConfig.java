package io.sagebrush.gateway;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the gateway needs to start. Build one with {@link #builder()}; every field but the
 * credentials has a default.
 *
 * @param bindAddress the address to listen on (default {@code 0.0.0.0})
 * @param port the port (default 8443; 0 picks a free one, see {@link InferenceGateway#port()})
 * @param tlsEnabled HTTPS when true (default), plain HTTP otherwise
 * @param certificatePem a PEM certificate chain to serve, with {@link #privateKeyPem}
 * @param privateKeyPem the PEM (PKCS#8) private key of {@link #certificatePem}
 * @param keyStore a PKCS#12 key store to serve instead of a PEM pair (its first key entry)
 * @param keyStorePassword the key store's password (and its key's)
 * @param home where a generated self-signed certificate is kept ({@code <home>/tls/}) when neither
 *     a PEM pair nor a key store is given; null keeps it in memory only
 * @param selfSignedNames extra DNS names or IP addresses for the generated certificate (it always
 *     names {@code localhost}, {@code 127.0.0.1}, {@code ::1} and this host's name)
 * @param accessKey the SigV4 access key id every request must be signed with
 * @param secretKey its secret
 * @param accountId the account id named in error messages and ARNs
 * @param region the region named in log ARNs and console links
 * @param maxBodyBytes the largest request body accepted (SageMaker: 6 MiB)
 * @param maxResponseBytes the largest model response relayed
 * @param modelTimeout how long a container may take to answer (SageMaker: 60 s)
 * @param connectTimeout how long a container may take to accept a connection (SageMaker: 250 ms)
 * @param unhealthyFor how long a replica that refused a connection gets no new requests
 * @param clockSkew the allowed difference between a signature's date and now
 * @param ioThreads event-loop threads; 0 means one per available processor
 * @param maxIdleConnectionsPerReplica idle keep-alive connections kept per replica and thread
 * @param clientIdleTimeout how long a client connection may stay silent before it is closed (not
 *     counting time spent waiting on the model for one of its requests); it closes between one and
 *     one and a half of this after its last activity
 * @param upstreamIdleTimeout how long a pooled keep-alive connection to a replica may stay idle
 *     before the gateway closes it (default 4 s, below common servers' 5 s keep-alive time-out, so
 *     that a pooled connection is rarely one the container has already closed)
 * @param routeWait how long a request for an endpoint the routing table does not (yet) route -
 *     unknown, not in a serving status, or with no ready replica - waits for a newer table before
 *     it is answered with the usual error (default 500 ms; zero answers at once). Covers the moment
 *     between DescribeEndpoint saying InService and the gateway's table saying so.
 * @param clock the time source for signature dates
 * @param metricsInterval how often the per-variant CloudWatch datapoints are published (default 10
 *     s; only when {@link InferenceGateway#start(GatewayConfig,
 *     io.sagebrush.gateway.routing.RoutingTableSource, io.micrometer.core.instrument.MeterRegistry,
 *     io.sagebrush.gateway.metrics.MetricSink)} is given a sink)
 */
public record GatewayConfig(
    String bindAddress,
    int port,
    boolean tlsEnabled,
    Path certificatePem,
    Path privateKeyPem,
    Path keyStore,
    String keyStorePassword,
    Path home,
    List<String> selfSignedNames,
    String accessKey,
    String secretKey,
    String accountId,
    String region,
    int maxBodyBytes,
    int maxResponseBytes,
    Duration modelTimeout,
    Duration connectTimeout,
    Duration unhealthyFor,
    Duration clockSkew,
    int ioThreads,
    int maxIdleConnectionsPerReplica,
    Duration clientIdleTimeout,
    Duration upstreamIdleTimeout,
    Duration routeWait,
    Clock clock,
    Duration metricsInterval) {

  public static final int DEFAULT_PORT = 8443;
  public static final int SAGEMAKER_MAX_BODY_BYTES = 6_291_456;

  public GatewayConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(modelTimeout, "modelTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(unhealthyFor, "unhealthyFor");
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(clientIdleTimeout, "clientIdleTimeout");
    Objects.requireNonNull(upstreamIdleTimeout, "upstreamIdleTimeout");
    if (upstreamIdleTimeout.isNegative() || upstreamIdleTimeout.isZero()) {
      throw new IllegalArgumentException("upstreamIdleTimeout must be positive");
    }
    Objects.requireNonNull(routeWait, "routeWait");
    if (routeWait.isNegative()) {
      throw new IllegalArgumentException("routeWait must not be negative");
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(metricsInterval, "metricsInterval");
    if (metricsInterval.isNegative() || metricsInterval.isZero()) {
      throw new IllegalArgumentException("metricsInterval must be positive");
    }
    selfSignedNames = selfSignedNames == null ? List.of() : List.copyOf(selfSignedNames);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    if ((certificatePem == null) != (privateKeyPem == null)) {
      throw new IllegalArgumentException("give both certificatePem and privateKeyPem, or neither");
    }
    if (maxBodyBytes <= 0 || maxResponseBytes <= 0) {
      throw new IllegalArgumentException("maxBodyBytes and maxResponseBytes must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with SageMaker's limits as defaults. */
  public static final class Builder {
    private String bindAddress = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private boolean tlsEnabled = true;
    private Path certificatePem;
    private Path privateKeyPem;
    private Path keyStore;
    private String keyStorePassword;
    private Path home;
    private List<String> selfSignedNames = List.of();
    private String accessKey;
    private String secretKey;
    private String accountId = "000000000000";
    private String region = "us-east-1";
    private int maxBodyBytes = SAGEMAKER_MAX_BODY_BYTES;
    private int maxResponseBytes = 64 * 1024 * 1024;
    private Duration modelTimeout = Duration.ofSeconds(60);
    private Duration connectTimeout = Duration.ofMillis(250);
    private Duration unhealthyFor = Duration.ofSeconds(5);
    private Duration clockSkew = Duration.ofMinutes(15);
    private int ioThreads;
    private int maxIdleConnectionsPerReplica = 64;
    private Duration clientIdleTimeout = Duration.ofMinutes(5);
    private Duration upstreamIdleTimeout = Duration.ofSeconds(4);
    private Duration routeWait = Duration.ofMillis(500);
    private Clock clock = Clock.systemUTC();
    private Duration metricsInterval = Duration.ofSeconds(10);

    private Builder() {}

    public Builder bindAddress(String v) {
      bindAddress = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder tlsEnabled(boolean v) {
      tlsEnabled = v;
      return this;
    }

    /** Serve this PEM certificate chain and PKCS#8 PEM key. */
    public Builder pem(Path certificate, Path privateKey) {
      certificatePem = certificate;
      privateKeyPem = privateKey;
      return this;
    }

    /** Serve the first key entry of this PKCS#12 key store. */
    public Builder keyStore(Path path, String password) {
      keyStore = path;
      keyStorePassword = password;
      return this;
    }

    public Builder home(Path v) {
      home = v;
      return this;
    }

    public Builder selfSignedNames(List<String> v) {
      selfSignedNames = v;
      return this;
    }

    public Builder credentials(String accessKeyId, String secretAccessKey) {
      accessKey = accessKeyId;
      secretKey = secretAccessKey;
      return this;
    }

    public Builder accountId(String v) {
      accountId = v;
      return this;
    }

    public Builder region(String v) {
      region = v;
      return this;
    }

    public Builder maxBodyBytes(int v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder maxResponseBytes(int v) {
      maxResponseBytes = v;
      return this;
    }

    public Builder modelTimeout(Duration v) {
      modelTimeout = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder unhealthyFor(Duration v) {
      unhealthyFor = v;
      return this;
    }

    public Builder clockSkew(Duration v) {
      clockSkew = v;
      return this;
    }

    public Builder ioThreads(int v) {
      ioThreads = v;
      return this;
    }

    public Builder maxIdleConnectionsPerReplica(int v) {
      maxIdleConnectionsPerReplica = v;
      return this;
    }

    public Builder clientIdleTimeout(Duration v) {
      clientIdleTimeout = v;
      return this;
    }

    public Builder upstreamIdleTimeout(Duration v) {
      upstreamIdleTimeout = v;
      return this;
    }

    public Builder routeWait(Duration v) {
      routeWait = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder metricsInterval(Duration v) {
      metricsInterval = v;
      return this;
    }

    public GatewayConfig build() {
      return new GatewayConfig(
          bindAddress,
          port,
          tlsEnabled,
          certificatePem,
          privateKeyPem,
          keyStore,
          keyStorePassword,
          home,
          selfSignedNames,
          accessKey,
          secretKey,
          accountId,
          region,
          maxBodyBytes,
          maxResponseBytes,
          modelTimeout,
          connectTimeout,
          unhealthyFor,
          clockSkew,
          ioThreads,
          maxIdleConnectionsPerReplica,
          clientIdleTimeout,
          upstreamIdleTimeout,
          routeWait,
          clock,
          metricsInterval);
    }
  }
}
