package io.sagebrush.artifacts.embedded;

import jakarta.servlet.DispatcherType;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.gaul.shaded.org.eclipse.jetty.server.Connector;
import org.gaul.shaded.org.eclipse.jetty.server.HttpConnectionFactory;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible HTTP server: S3Proxy over a filesystem blob store (S3Proxy's jclouds {@code
 * filesystem-nio2} provider). Each bucket is a directory under the data directory and each object a
 * plain file in it, so buckets and objects survive a restart on the same data directory. Requests
 * must be signed (AWS SigV4, or SigV2 for old clients) with the configured credentials; buckets are
 * addressed path-style ({@code http://host:port/bucket/key}; virtual-host style is off); multipart
 * uploads are supported.
 *
 * <p>Two S3Proxy 3.1 gaps are closed here: Jetty's header cache is made case-sensitive (otherwise a
 * {@code Content-Type} with a charset breaks signatures), and {@link SignedTrailerFilter} accepts
 * the {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER} uploads that the AWS SDK for Java v2
 * (2.30+) sends by default over plain http. The AWS CLI, boto3, the MinIO SDK and the AWS SDK for
 * Java v2 work with their default settings.
 *
 * <p>Start with {@link #start}; {@link #close()} stops the server and releases the port.
 */
public final class EmbeddedS3Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedS3Server.class);
  private static final long START_TIMEOUT_MILLIS = 30_000;

  /**
   * S3Proxy's NIO.2 filesystem provider (a jclouds BlobStore). The older jclouds {@code filesystem}
   * provider lists every intermediate directory as a 4096-byte object ({@code train/}) in recursive
   * listings, which {@code aws s3 ls --recursive} and SageMaker-style prefix downloads would see;
   * this one lists only real objects. Both keep one plain file per object.
   */
  private static final String BLOB_PROVIDER = "filesystem-nio2";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final URI endpoint;
  private final int port;
  private final Path dataDir;

  private EmbeddedS3Server(
      S3Proxy proxy, BlobStoreContext context, URI endpoint, int port, Path dataDir) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = endpoint;
    this.port = port;
    this.dataDir = dataDir;
  }

  /**
   * Starts a server bound to {@code host}:{@code port} that stores its data under {@code dataDir}
   * (created if missing).
   *
   * @param host the address to bind, e.g. {@code 0.0.0.0}, {@code 127.0.0.1} or {@code localhost}
   * @param port the port to bind; 0 picks a free one, reported by {@link #port()}
   * @param dataDir where buckets and objects are stored
   * @param accessKey the access key id clients sign with
   * @param secretKey the secret key clients sign with
   * @return the running server
   * @throws IllegalStateException when the server cannot start (port in use, unwritable dataDir)
   */
  public static EmbeddedS3Server start(
      String host, int port, Path dataDir, String accessKey, String secretKey) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    if (accessKey == null || accessKey.isEmpty() || secretKey == null || secretKey.isEmpty()) {
      throw new IllegalArgumentException("The embedded S3 server needs an access key and secret");
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    BlobStoreContext context = null;
    S3Proxy proxy = null;
    try {
      Files.createDirectories(dir);
      Properties properties = new Properties();
      properties.setProperty(FilesystemConstants.PROPERTY_BASEDIR, dir.toString());
      context =
          ContextBuilder.newBuilder(BLOB_PROVIDER)
              .credentials("sagebrush", "sagebrush")
              .overrides(properties)
              .buildView(BlobStoreContext.class);
      URI bind = URI.create("http://" + uriHost(host) + ":" + port);
      proxy =
          S3Proxy.builder()
              .blobStore(context.getBlobStore())
              .endpoint(bind)
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
              .ignoreUnknownHeaders(true)
              .build();
      makeJettyHeaderCacheCaseSensitive(proxy);
      acceptSignedTrailers(proxy, accessKey, secretKey);
      proxy.start();
      awaitStarted(proxy);
      int actualPort = proxy.getPort();
      URI endpoint = URI.create("http://" + uriHost(clientHost(host)) + ":" + actualPort);
      log.info("Embedded S3 server listening on {} with data in {}", endpoint, dir);
      return new EmbeddedS3Server(proxy, context, endpoint, actualPort, dir);
    } catch (Exception e) {
      stopQuietly(proxy);
      if (context != null) {
        context.close();
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(
          "Cannot start the embedded S3 server on "
              + host
              + ":"
              + port
              + " with data in "
              + dir
              + ": "
              + e,
          e);
    }
  }

  /**
   * The base URL clients use, e.g. {@code http://127.0.0.1:9000}. A wildcard bind address is
   * reported as the loopback address.
   */
  public URI endpoint() {
    return endpoint;
  }

  /** The port actually bound (the free port chosen when started with port 0). */
  public int port() {
    return port;
  }

  /** The directory holding buckets and objects. */
  public Path dataDir() {
    return dataDir;
  }

  /** Stops the server and releases the port; idempotent. */
  @Override
  public void close() {
    stopQuietly(proxy);
    context.close();
    log.info("Embedded S3 server on {} stopped", endpoint);
  }

  /**
   * Jetty's header cache matches values case-insensitively and hands S3Proxy the cached spelling
   * ({@code text/plain; charset=utf-8} for the {@code charset=UTF-8} the AWS SDK sends), so the
   * canonical request S3Proxy computes differs from the one the client signed and the request fails
   * with 403 SignatureDoesNotMatch. A case-sensitive cache passes every header on as sent.
   */
  private static void makeJettyHeaderCacheCaseSensitive(S3Proxy proxy)
      throws ReflectiveOperationException {
    Field field = S3Proxy.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
      if (http != null) {
        http.getHttpConfiguration().setHeaderCacheCaseSensitive(true);
      }
    }
  }

  /** Puts {@link SignedTrailerFilter} in front of S3Proxy's servlet. */
  private static void acceptSignedTrailers(S3Proxy proxy, String accessKey, String secretKey)
      throws ReflectiveOperationException {
    Field field = S3Proxy.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    if (!(server.getHandler() instanceof ServletContextHandler context)) {
      throw new IllegalStateException(
          "Unexpected S3Proxy handler " + server.getHandler() + "; cannot install upload filter");
    }
    context.addFilter(
        new SignedTrailerFilter(accessKey, secretKey), "/*", EnumSet.of(DispatcherType.REQUEST));
  }

  private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (!"STARTED".equals(proxy.getState())) {
      if ("FAILED".equals(proxy.getState()) || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("S3Proxy state is " + proxy.getState());
      }
      Thread.sleep(5);
    }
  }

  private static void stopQuietly(S3Proxy proxy) {
    if (proxy == null) {
      return;
    }
    try {
      if (!"STOPPED".equals(proxy.getState())) {
        proxy.stop();
      }
    } catch (Exception e) {
      log.warn("Stopping the embedded S3 server failed", e);
    }
  }

  /** The host clients should use: loopback instead of a wildcard bind address. */
  private static String clientHost(String host) {
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      return InetAddress.getLoopbackAddress().getHostAddress();
    }
    return host;
  }

  private static String uriHost(String host) {
    if (host.isEmpty()) {
      return "0.0.0.0";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
