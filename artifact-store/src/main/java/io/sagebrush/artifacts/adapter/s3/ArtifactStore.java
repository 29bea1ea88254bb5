package io.sagebrush.artifacts.adapter.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.sagebrush.artifacts.ArtifactStoreException;
import io.sagebrush.artifacts.DownloadCancelled;
import io.sagebrush.artifacts.Manifest;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.StoredObject;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.StorageSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 access over the MinIO Java SDK, for any S3-compatible endpoint (MinIO, the embedded S3Proxy
 * server, AWS). Requests are path-style and signed with SigV4 for the configured region.
 *
 * <p>Every failure is an {@link ArtifactStoreException} whose message names the URI; a missing
 * object or bucket answers {@code true} to {@link ArtifactStoreException#isNotFound()}. Instances
 * are thread-safe; {@link #close()} releases the HTTP connection pool.
 */
public final class ArtifactStore implements AutoCloseable {
  /** Part size for multipart uploads; files larger than this are uploaded in parts. */
  public static final long PART_SIZE = 16L * 1024 * 1024;

  /** How many objects a directory or prefix transfer moves at once. */
  public static final int PARALLEL_TRANSFERS = 8;

  /** The buffer of a cancellable download: how much is read between two looks at the cancel. */
  public static final int COPY_BUFFER_BYTES = 64 * 1024;

  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(ArtifactStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OCTET_STREAM = "application/octet-stream";
  private static final Set<String> NOT_FOUND_CODES =
      Set.of("NoSuchKey", "NoSuchBucket", "NotFound", "ResourceNotFound", "NoSuchObject");

  private final MinioClient client;
  private final String endpoint;
  private final StorageSettings settings;
  private final OkHttpClient http;
  private final MinioClient healthClient;

  private ArtifactStore(
      MinioClient client,
      String endpoint,
      String region,
      StorageSettings settings,
      OkHttpClient http) {
    this.client = client;
    this.endpoint = endpoint;
    this.settings = settings;
    this.http = http;
    // Health checks must answer quickly even when the endpoint hangs; shares the connection pool.
    this.healthClient =
        newClient(
            endpoint,
            region,
            settings,
            http.newBuilder().callTimeout(HEALTH_TIMEOUT).build(),
            false);
  }

  /**
   * Creates a client for {@code settings.endpoint()} (for example {@code http://localhost:9000})
   * with the settings' region (us-east-1 when blank) and credentials. Connects lazily: nothing is
   * sent until the first operation.
   *
   * @throws SagebrushException a validation error when the endpoint is not an http(s) URL
   */
  public static ArtifactStore connect(StorageSettings settings) {
    return connect(settings, UnaryOperator.identity());
  }

  /** As {@link #connect(StorageSettings)}, letting tests observe the HTTP traffic. */
  static ArtifactStore connect(
      StorageSettings settings, UnaryOperator<OkHttpClient.Builder> customizer) {
    Objects.requireNonNull(settings, "settings");
    String endpoint = settings.endpoint();
    URI uri;
    try {
      uri = URI.create(endpoint == null ? "" : endpoint.trim());
    } catch (IllegalArgumentException e) {
      throw SagebrushException.validation(
          "Invalid S3 endpoint '" + endpoint + "': " + e.getMessage());
    }
    if (uri.getHost() == null
        || !("http".equalsIgnoreCase(uri.getScheme())
            || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw SagebrushException.validation(
          "Invalid S3 endpoint '" + endpoint + "': must be an http:// or https:// URL");
    }
    String region =
        settings.region() == null || settings.region().isBlank() ? "us-east-1" : settings.region();
    OkHttpClient http =
        customizer
            .apply(
                new OkHttpClient.Builder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .writeTimeout(Duration.ofMinutes(5))
                    .readTimeout(Duration.ofMinutes(5))
                    .protocols(List.of(okhttp3.Protocol.HTTP_1_1)))
            .build();
    MinioClient client = newClient(uri.toString(), region, settings, http, true);
    return new ArtifactStore(client, uri.toString(), region, settings, http);
  }

  private static MinioClient newClient(
      String endpoint, String region, StorageSettings settings, OkHttpClient http, boolean owner) {
    MinioClient.Builder builder =
        MinioClient.builder().endpoint(endpoint).region(region).httpClient(http, owner);
    if (settings.accessKey() != null && !settings.accessKey().isEmpty()) {
      builder.credentials(settings.accessKey(), settings.secretKey());
    }
    MinioClient client = builder.build();
    // Path-style for every endpoint, AWS included: bucket names with dots and local servers.
    client.disableVirtualStyleEndpoint();
    return client;
  }

  /** The endpoint this store talks to. */
  public String endpoint() {
    return endpoint;
  }

  /**
   * Creates {@code bucket} unless it exists. Idempotent, also when another client creates it
   * concurrently.
   */
  public void ensureBucket(String bucket) {
    S3Uri uri = new S3Uri(bucket, "");
    try {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        makeBucket(bucket);
      }
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
        throw failure("create bucket", uri, e);
      }
    } catch (Exception e) {
      throw failure("create bucket", uri, e);
    }
  }

  private void makeBucket(String bucket) throws Exception {
    try {
      client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    } catch (ErrorResponseException e) {
      // Single-region servers (S3Proxy's filesystem store) refuse any location constraint, which
      // the SDK sends for regions other than us-east-1; create the bucket without one.
      if (!"InvalidLocationConstraint".equals(e.errorResponse().code())) {
        throw e;
      }
      // The SDK insists that a request's region matches the client's, hence a second client.
      try (MinioClient usEast1 = newClient(endpoint, "us-east-1", settings, http, false)) {
        usEast1.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      }
    }
  }

  /**
   * Lists every object whose key starts with {@code prefix}'s key, recursively, in key order. A
   * prefix that matches nothing gives an empty list; a missing bucket is a not-found error.
   */
  public List<StoredObject> list(S3Uri prefix) {
    List<StoredObject> objects = new ArrayList<>();
    try {
      Iterable<Result<Item>> results =
          client.listObjects(
              ListObjectsArgs.builder()
                  .bucket(prefix.bucket())
                  .prefix(prefix.key().isEmpty() ? null : prefix.key())
                  .recursive(true)
                  .build());
      for (Result<Item> result : results) {
        Item item = result.get();
        if (!item.isDir()) {
          objects.add(new StoredObject(new S3Uri(prefix.bucket(), item.objectName()), item.size()));
        }
      }
    } catch (Exception e) {
      throw failure("list", prefix, e);
    }
    return objects;
  }

  /**
   * Reads a SageMaker manifest file and returns the objects it names.
   *
   * @throws ArtifactStoreException when the manifest is missing or malformed
   * @see #loadManifest(S3Uri)
   */
  public List<S3Uri> readManifest(S3Uri manifest) {
    return loadManifest(manifest).objects();
  }

  /**
   * Reads a SageMaker manifest file: a JSON array whose first element is {@code {"prefix":
   * "s3://bucket/prefix/"}} and whose other elements are key suffixes.
   *
   * @throws ArtifactStoreException when the manifest is missing or malformed; the message names it
   */
  public Manifest loadManifest(S3Uri manifest) {
    byte[] data = getBytes(manifest);
    JsonNode root;
    try {
      root = JSON.readTree(data);
    } catch (IOException e) {
      throw new ArtifactStoreException(
          "Manifest " + manifest + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new ArtifactStoreException(
          "Manifest "
              + manifest
              + " must be a JSON array starting with {\"prefix\": \"s3://...\"}");
    }
    JsonNode prefixNode = root.get(0).get("prefix");
    if (prefixNode == null || !prefixNode.isTextual()) {
      throw new ArtifactStoreException(
          "Manifest "
              + manifest
              + ": the first element must be {\"prefix\": \"s3://bucket/prefix/\"}");
    }
    S3Uri prefix;
    try {
      prefix = S3Uri.parse(prefixNode.asText());
    } catch (SagebrushException e) {
      throw new ArtifactStoreException("Manifest " + manifest + ": " + e.getMessage(), e);
    }
    List<String> suffixes = new ArrayList<>();
    for (int i = 1; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      if (!entry.isTextual() || entry.asText().isEmpty()) {
        throw new ArtifactStoreException(
            "Manifest "
                + manifest
                + ": element "
                + i
                + " must be a non-empty string, got "
                + entry);
      }
      suffixes.add(entry.asText());
    }
    return new Manifest(prefix, suffixes);
  }

  /**
   * Downloads one object into {@code file}, streaming, replacing an existing file atomically and
   * creating parent directories.
   */
  public void download(S3Uri object, Path file) {
    download(object, file, () -> false);
  }

  /**
   * {@link #download(S3Uri, Path)} that can be cancelled: {@code cancelled} is asked before each
   * {@value #COPY_BUFFER_BYTES}-byte read, and once it says true the download stops, the connection
   * is dropped and {@code file} is left as it was.
   *
   * @throws DownloadCancelled when it was cancelled
   */
  public void download(S3Uri object, Path file, BooleanSupplier cancelled) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".part");
      try {
        try (InputStream in =
                client.getObject(
                    GetObjectArgs.builder().bucket(object.bucket()).object(object.key()).build());
            OutputStream out = Files.newOutputStream(tmp)) {
          byte[] buffer = new byte[COPY_BUFFER_BYTES];
          int n;
          while (true) {
            if (cancelled.getAsBoolean()) {
              throw new DownloadCancelled("The download of " + object + " was cancelled");
            }
            if ((n = in.read(buffer)) < 0) {
              break;
            }
            out.write(buffer, 0, n);
          }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (Exception e) {
      throw failure("download", object, e);
    }
  }

  /**
   * Downloads every object under {@code prefix} into {@code dir}; a key's part after the prefix
   * (without a leading {@code /}) becomes its path under {@code dir}. When the prefix names a
   * single object exactly, the file takes the key's last segment as its name. Keys ending in {@code
   * /} (folder markers) are skipped. Up to {@link #PARALLEL_TRANSFERS} objects download at once.
   *
   * @throws ArtifactStoreException naming the key when it would land outside {@code dir}; nothing
   *     is downloaded in that case
   */
  public void downloadPrefix(S3Uri prefix, Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    List<StoredObject> objects = list(prefix);
    List<Path> targets = new ArrayList<>(objects.size());
    for (StoredObject object : objects) {
      targets.add(targetFor(prefix, object.uri(), root));
    }
    List<Runnable> transfers = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      S3Uri object = objects.get(i).uri();
      Path target = targets.get(i);
      if (target != null) {
        transfers.add(() -> download(object, target));
      }
    }
    runAll(transfers);
  }

  /**
   * Downloads each object a manifest names into {@code dir}, at its suffix's path.
   *
   * @throws ArtifactStoreException naming the entry when it would land outside {@code dir}
   */
  public void downloadManifest(Manifest manifest, Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    List<S3Uri> objects = manifest.objects();
    List<Path> targets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      targets.add(resolveInside(root, manifest.suffixes().get(i), objects.get(i)));
    }
    List<Runnable> transfers = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      S3Uri object = objects.get(i);
      Path target = targets.get(i);
      transfers.add(() -> download(object, target));
    }
    runAll(transfers);
  }

  /**
   * Uploads a file; files larger than {@link #PART_SIZE} go up as a multipart upload. The content
   * type is guessed from the file name.
   */
  public void upload(Path file, S3Uri object) {
    try {
      String type = Files.probeContentType(file);
      client.uploadObject(
          UploadObjectArgs.builder()
              .bucket(object.bucket())
              .object(object.key())
              .filename(file.toString(), PART_SIZE)
              .contentType(type == null ? OCTET_STREAM : type)
              .build());
    } catch (Exception e) {
      throw failure("upload " + file + " to", object, e);
    }
  }

  /**
   * Uploads every regular file under {@code dir} to {@code prefix} + its relative path (with {@code
   * /} separators). Symbolic links are skipped so that nothing outside {@code dir} leaks into the
   * bucket. A missing directory uploads nothing. Up to {@link #PARALLEL_TRANSFERS} files upload at
   * once.
   */
  public void uploadDirectory(Path dir, S3Uri prefix) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    Path root = dir.toAbsolutePath().normalize();
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                files.add(f);
              } else if (attrs.isSymbolicLink()) {
                log.warn("Not uploading symbolic link {} to {}", f, prefix);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new ArtifactStoreException(
          "Cannot read " + dir + " to upload to " + prefix + ": " + e, e);
    }
    files.sort(null);
    List<Runnable> transfers = new ArrayList<>();
    for (Path f : files) {
      S3Uri object = prefix.resolve(root.relativize(f).toString().replace('\\', '/'));
      transfers.add(() -> upload(f, object));
    }
    runAll(transfers);
  }

  /**
   * Downloads each object into its file ({@link #download}) on up to {@link #PARALLEL_TRANSFERS}
   * threads made by {@code threads}; the first failure is thrown after the others have finished.
   * Unlike {@link #downloadPrefix} it can be cancelled: once the calling thread is interrupted no
   * further object starts, and the call returns only after the downloads in flight have ended (a
   * socket read does not end on an interrupt), throwing {@link ArtifactStoreException} with the
   * interrupt status kept.
   *
   * @param targets the objects and their files, downloaded in this order
   */
  public void downloadAll(Map<S3Uri, Path> targets, ThreadFactory threads) {
    List<Runnable> transfers = new ArrayList<>();
    targets.forEach(
        (object, file) ->
            transfers.add(
                () -> {
                  if (Thread.currentThread().isInterrupted()) {
                    throw new ArtifactStoreException(
                        "The download of " + object + " was cancelled");
                  }
                  download(object, file);
                }));
    runAll(transfers, threads, true);
  }

  /**
   * Runs transfers on up to {@link #PARALLEL_TRANSFERS} threads and waits for all of them; the
   * first failure is thrown after the others have finished.
   */
  private static void runAll(List<Runnable> transfers) {
    if (transfers.size() <= 1) {
      transfers.forEach(Runnable::run);
      return;
    }
    runAll(transfers, Executors.defaultThreadFactory(), false);
  }

  /**
   * Runs transfers on a pool of {@code threads}; when {@code awaitEnd}, returns only once the
   * pool's threads have ended, even when interrupted meanwhile.
   */
  private static void runAll(List<Runnable> transfers, ThreadFactory threads, boolean awaitEnd) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(PARALLEL_TRANSFERS, transfers.size())), threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable transfer : transfers) {
        futures.add(pool.submit(transfer));
      }
      RuntimeException first = null;
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException re
                    ? re
                    : new ArtifactStoreException("Transfer failed: " + e.getCause(), e.getCause());
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArtifactStoreException("Interrupted while transferring objects", e);
    } finally {
      pool.shutdownNow();
      if (awaitEnd) {
        awaitUninterruptibly(pool);
      }
    }
  }

  /** Waits for the pool's threads to end, whatever interrupts come meanwhile. */
  private static void awaitUninterruptibly(ExecutorService pool) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (pool.awaitTermination(1, TimeUnit.SECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stores {@code data} as one object (content type defaults to application/octet-stream). */
  public void putBytes(S3Uri object, byte[] data, String contentType) {
    try {
      client.putObject(
          PutObjectArgs.builder().bucket(object.bucket()).object(object.key()).stream(
                  new ByteArrayInputStream(data), data.length, -1)
              .contentType(
                  contentType == null || contentType.isBlank() ? OCTET_STREAM : contentType)
              .build());
    } catch (Exception e) {
      throw failure("write", object, e);
    }
  }

  /** Reads a whole object into memory; meant for small objects such as manifests. */
  public byte[] getBytes(S3Uri object) {
    try (InputStream in =
        client.getObject(
            GetObjectArgs.builder().bucket(object.bucket()).object(object.key()).build())) {
      return in.readAllBytes();
    } catch (Exception e) {
      throw failure("read", object, e);
    }
  }

  /** True when the object exists; false when it or its bucket does not. */
  public boolean exists(S3Uri object) {
    try {
      client.statObject(
          StatObjectArgs.builder().bucket(object.bucket()).object(object.key()).build());
      return true;
    } catch (Exception e) {
      ArtifactStoreException failure = failure("check", object, e);
      if (failure.isNotFound()) {
        return false;
      }
      throw failure;
    }
  }

  /**
   * True when the endpoint answers an authenticated request (a bucket listing); never throws. Meant
   * for health checks.
   */
  public boolean isReachable() {
    try {
      client.listBuckets();
      return true;
    } catch (Exception e) {
      log.debug("S3 endpoint {} is not reachable", endpoint, e);
      return false;
    }
  }

  /** Releases the HTTP client's connections and threads. */
  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      log.debug("Closing the S3 client failed", e);
    }
  }

  /** Where {@code object} lands under {@code root}; null for folder markers. */
  static Path targetFor(S3Uri prefix, S3Uri object, Path root) {
    String key = object.key();
    if (key.endsWith("/")) {
      return null;
    }
    String relative = key.substring(prefix.key().length());
    while (relative.startsWith("/")) {
      relative = relative.substring(1);
    }
    if (relative.isEmpty()) {
      relative = object.fileName();
    }
    return resolveInside(root, relative, object);
  }

  private static Path resolveInside(Path root, String relative, S3Uri object) {
    Path target;
    try {
      target = root.resolve(relative).normalize();
    } catch (RuntimeException e) {
      throw new ArtifactStoreException(
          "Refusing to download " + object + ": its key is not a valid file path", e);
    }
    if (relative.startsWith("/") || !target.startsWith(root) || target.equals(root)) {
      throw new ArtifactStoreException(
          "Refusing to download " + object + ": its key would be written outside " + root);
    }
    return target;
  }

  private static ArtifactStoreException failure(String action, S3Uri uri, Exception e) {
    if (e instanceof ArtifactStoreException ase) {
      return ase;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    if (e instanceof ErrorResponseException ere) {
      String code = ere.errorResponse().code();
      boolean notFound =
          NOT_FOUND_CODES.contains(code)
              || (ere.response() != null && ere.response().code() == 404);
      String what =
          "NoSuchBucket".equals(code)
              ? "bucket " + uri.bucket() + " does not exist"
              : notFound ? "not found" : code + ": " + ere.errorResponse().message();
      return new ArtifactStoreException("Cannot " + action + " " + uri + ": " + what, notFound, e);
    }
    return new ArtifactStoreException(
        "Cannot " + action + " " + uri + ": " + describe(e), false, e);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }
}
