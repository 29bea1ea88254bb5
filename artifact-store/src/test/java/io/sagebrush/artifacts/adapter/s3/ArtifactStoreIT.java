package io.sagebrush.artifacts.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.artifacts.ArtifactStoreException;
import io.sagebrush.artifacts.Manifest;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.StoredObject;
import io.sagebrush.artifacts.embedded.EmbeddedS3Server;
import io.sagebrush.protocol.StorageSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ArtifactStore against a real embedded S3 server (S3Proxy) on a free port. */
class ArtifactStoreIT {
  private static final String ACCESS_KEY = "sagebrush-it";
  private static final String SECRET_KEY = "sagebrush-it-secret";

  @TempDir static Path serverData;
  @TempDir Path tmp;

  private static EmbeddedS3Server server;
  private static ArtifactStore store;
  private String bucket;

  @BeforeAll
  static void startServer() {
    server = EmbeddedS3Server.start("127.0.0.1", 0, serverData, ACCESS_KEY, SECRET_KEY);
    store = ArtifactStore.connect(settings(SECRET_KEY));
  }

  @AfterAll
  static void stopServer() {
    store.close();
    server.close();
  }

  @BeforeEach
  void freshBucket() {
    bucket = "it-" + UUID.randomUUID().toString().substring(0, 8);
    store.ensureBucket(bucket);
  }

  @Test
  void ensureBucketIsIdempotent() {
    store.ensureBucket(bucket);
    store.ensureBucket(bucket);

    assertThat(store.list(uri(""))).isEmpty();
  }

  @Test
  void putBytesThenGetBytesReturnsTheSameBytes() {
    store.putBytes(uri("dir/hello.json"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8), null);

    assertThat(store.getBytes(uri("dir/hello.json"))).asString().isEqualTo("{\"a\":1}");
    assertThat(store.exists(uri("dir/hello.json"))).isTrue();
    assertThat(store.exists(uri("dir/other.json"))).isFalse();
    assertThat(store.exists(new S3Uri("no-such-bucket-" + bucket, "x"))).isFalse();
  }

  @Test
  void uploadThenDownloadRoundTripsAFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("train.csv"), "a,b\n1,2\n");

    store.upload(file, uri("train/train.csv"));
    Path copy = tmp.resolve("copy/nested/train.csv");
    store.download(uri("train/train.csv"), copy);

    assertThat(copy).hasSameTextualContentAs(file);
  }

  @Test
  void downloadReplacesAnExistingFile() throws IOException {
    store.putBytes(uri("a.txt"), "new".getBytes(StandardCharsets.UTF_8), "text/plain");
    Path target = Files.writeString(tmp.resolve("a.txt"), "old content");

    store.download(uri("a.txt"), target);

    assertThat(target).hasContent("new");
  }

  @Test
  void aFileLargerThanThePartSizeGoesUpAsMultipartAndComesBackIdentical() throws Exception {
    Path big = tmp.resolve("big.bin");
    writeRandom(big, 40L * 1024 * 1024 + 123);

    List<String> partUploads = new CopyOnWriteArrayList<>();
    try (ArtifactStore observed =
        ArtifactStore.connect(
            settings(SECRET_KEY),
            http ->
                http.addInterceptor(
                    chain -> {
                      if (chain.request().url().queryParameter("partNumber") != null) {
                        partUploads.add(chain.request().url().queryParameter("partNumber"));
                      }
                      return chain.proceed(chain.request());
                    }))) {
      observed.upload(big, uri("models/big.bin"));
    }
    Path back = tmp.resolve("back.bin");
    store.download(uri("models/big.bin"), back);

    assertThat(sha256(back)).isEqualTo(sha256(big));
    assertThat(store.list(uri("models/")))
        .containsExactly(new StoredObject(uri("models/big.bin"), Files.size(big)));
    // 40 MiB in 16 MiB parts is 3 parts.
    assertThat(partUploads).containsExactlyInAnyOrder("1", "2", "3");
  }

  @Test
  void listReturnsEveryObjectUnderThePrefixRecursivelyInKeyOrder() {
    put("train/a.csv", "a");
    put("train/sub/b.csv", "bb");
    put("train/sub/deeper/c.csv", "ccc");
    put("validation/v.csv", "v");

    List<StoredObject> objects = store.list(uri("train/"));

    assertThat(objects)
        .containsExactly(
            new StoredObject(uri("train/a.csv"), 1),
            new StoredObject(uri("train/sub/b.csv"), 2),
            new StoredObject(uri("train/sub/deeper/c.csv"), 3));
    assertThat(store.list(uri(""))).hasSize(4);
    assertThat(store.list(uri("nothing/"))).isEmpty();
  }

  @Test
  void listKeepsKeysWithSpacesAndUnicode() {
    put("data/with space/ünïcode+plus.txt", "x");

    assertThat(store.list(uri("data/")))
        .extracting(o -> o.uri().key())
        .containsExactly("data/with space/ünïcode+plus.txt");
  }

  @Test
  void listOfAMissingBucketIsNotFound() {
    S3Uri missing = new S3Uri("missing-" + bucket, "x/");

    assertThatThrownBy(() -> store.list(missing))
        .isInstanceOfSatisfying(
            ArtifactStoreException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageContaining(missing.toString());
  }

  @Test
  void getBytesOfAMissingKeyIsNotFoundAndNamesTheUri() {
    assertThatThrownBy(() -> store.getBytes(uri("missing.bin")))
        .isInstanceOfSatisfying(
            ArtifactStoreException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageContaining(uri("missing.bin").toString());
  }

  @Test
  void aCancelledDownloadStopsBetweenReadsAndLeavesTheTargetAsItWas() throws IOException {
    byte[] big = new byte[8 * ArtifactStore.COPY_BUFFER_BYTES];
    store.putBytes(uri("big.bin"), big, "application/octet-stream");
    Path target = Files.writeString(tmp.resolve("big.bin"), "old content");
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();

    assertThatThrownBy(
            () -> store.download(uri("big.bin"), target, () -> asked.incrementAndGet() > 2))
        .isInstanceOf(io.sagebrush.artifacts.DownloadCancelled.class)
        .hasMessageContaining(uri("big.bin").toString());

    assertThat(asked).hasValue(3); // two reads, then the cancel: not the whole object
    assertThat(target).hasContent("old content");
    try (var files = Files.list(tmp)) {
      assertThat(files).containsExactly(target); // no part file left
    }
    store.download(uri("big.bin"), target, () -> false);
    assertThat(Files.size(target)).isEqualTo(big.length);
  }

  @Test
  void downloadOfAMissingKeyIsNotFoundAndLeavesNoFile() {
    Path target = tmp.resolve("never.bin");

    assertThatThrownBy(() -> store.download(uri("missing.bin"), target))
        .isInstanceOfSatisfying(
            ArtifactStoreException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageContaining(uri("missing.bin").toString());
    assertThat(target).doesNotExist();
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void uploadToAMissingBucketIsNotFound() throws IOException {
    Path file = Files.writeString(tmp.resolve("f.txt"), "f");
    S3Uri target = new S3Uri("missing-" + bucket, "f.txt");

    assertThatThrownBy(() -> store.upload(file, target))
        .isInstanceOfSatisfying(
            ArtifactStoreException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageContaining(target.toString());
  }

  @Test
  void readManifestResolvesEntriesAgainstThePrefix() {
    put(
        "manifests/train.manifest",
        "[{\"prefix\": \"s3://" + bucket + "/data/\"}, \"a.csv\", \"sub/b.csv\"]");

    assertThat(store.readManifest(uri("manifests/train.manifest")))
        .containsExactly(uri("data/a.csv"), uri("data/sub/b.csv"));
  }

  @Test
  void downloadManifestPutsEachEntryAtItsSuffixPath() {
    put("data/a.csv", "A");
    put("data/sub/b.csv", "B");
    put("data/ignored.csv", "I");
    put("m.manifest", "[{\"prefix\": \"s3://" + bucket + "/data/\"}, \"a.csv\", \"sub/b.csv\"]");
    Manifest manifest = store.loadManifest(uri("m.manifest"));

    store.downloadManifest(manifest, tmp.resolve("channel"));

    assertThat(tmp.resolve("channel/a.csv")).hasContent("A");
    assertThat(tmp.resolve("channel/sub/b.csv")).hasContent("B");
    assertThat(tmp.resolve("channel/ignored.csv")).doesNotExist();
  }

  @Test
  void downloadManifestRefusesAnEntryEscapingTheDirectoryBeforeDownloadingAnything() {
    put("data/a.csv", "A");
    put("m.manifest", "[{\"prefix\": \"s3://" + bucket + "/data/\"}, \"a.csv\", \"../../evil\"]");
    Manifest manifest = store.loadManifest(uri("m.manifest"));

    assertThatThrownBy(() -> store.downloadManifest(manifest, tmp.resolve("channel")))
        .isInstanceOf(ArtifactStoreException.class)
        .hasMessageContaining("../../evil");
    assertThat(tmp.resolve("channel")).doesNotExist();
  }

  @Test
  void readManifestRejectsMalformedManifestsNamingThem() {
    put("bad1", "not json");
    put("bad2", "{\"prefix\": \"s3://x/\"}");
    put("bad3", "[\"a.csv\"]");
    put("bad4", "[{\"prefix\": \"s3://" + bucket + "/\"}, 42]");
    put("bad5", "[{\"prefix\": \"http://x/\"}, \"a\"]");

    for (String name : List.of("bad1", "bad2", "bad3", "bad4", "bad5")) {
      assertThatThrownBy(() -> store.readManifest(uri(name)))
          .isInstanceOf(ArtifactStoreException.class)
          .hasMessageContaining(uri(name).toString());
    }
  }

  @Test
  void readManifestOfAMissingObjectIsNotFound() {
    assertThatThrownBy(() -> store.readManifest(uri("none.manifest")))
        .isInstanceOfSatisfying(
            ArtifactStoreException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void downloadPrefixMirrorsKeysRelativeToThePrefix() {
    put("train/a.csv", "A");
    put("train/sub/b.csv", "B");
    put("other/c.csv", "C");

    store.downloadPrefix(uri("train/"), tmp.resolve("channel"));

    assertThat(tmp.resolve("channel/a.csv")).hasContent("A");
    assertThat(tmp.resolve("channel/sub/b.csv")).hasContent("B");
    assertThat(tmp.resolve("channel/c.csv")).doesNotExist();
  }

  @Test
  void downloadPrefixWithoutTrailingSlashStillPutsFilesDirectlyInTheDirectory() {
    put("train/a.csv", "A");

    store.downloadPrefix(uri("train"), tmp.resolve("channel"));

    assertThat(tmp.resolve("channel/a.csv")).hasContent("A");
  }

  @Test
  void downloadPrefixNamingASingleObjectUsesItsFileName() {
    put("data/only.csv", "O");

    store.downloadPrefix(uri("data/only.csv"), tmp.resolve("channel"));

    assertThat(tmp.resolve("channel/only.csv")).hasContent("O");
  }

  @Test
  void downloadPrefixOfAnEmptyPrefixCreatesNothing() {
    store.downloadPrefix(uri("empty/"), tmp.resolve("channel"));

    assertThat(tmp.resolve("channel")).doesNotExist();
  }

  @Test
  void uploadDirectoryThenDownloadPrefixRoundTripsATree() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("model/sub"));
    Files.writeString(tmp.resolve("model/weights.bin"), "W");
    Files.writeString(dir.resolve("config.json"), "{}");
    Files.createSymbolicLink(tmp.resolve("model/link"), tmp.resolve("model/weights.bin"));

    store.uploadDirectory(tmp.resolve("model"), uri("out/job-1/"));
    store.downloadPrefix(uri("out/job-1/"), tmp.resolve("again"));

    assertThat(store.list(uri("out/")))
        .extracting(o -> o.uri().key())
        .containsExactly("out/job-1/sub/config.json", "out/job-1/weights.bin");
    assertThat(tmp.resolve("again/weights.bin")).hasContent("W");
    assertThat(tmp.resolve("again/sub/config.json")).hasContent("{}");
  }

  @Test
  void manyFilesGoUpAndComeBackInParallelIntact() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("many"));
    for (int i = 0; i < 40; i++) {
      Files.writeString(
          Files.createDirectories(dir.resolve("d" + (i % 5))).resolve("f" + i + ".txt"), "v" + i);
    }

    store.uploadDirectory(dir, uri("many/"));
    store.downloadPrefix(uri("many/"), tmp.resolve("back"));

    assertThat(store.list(uri("many/"))).hasSize(40);
    assertThat(countFiles(tmp.resolve("back"))).isEqualTo(40);
    for (int i = 0; i < 40; i++) {
      assertThat(tmp.resolve("back/d" + (i % 5) + "/f" + i + ".txt")).hasContent("v" + i);
    }
  }

  @Test
  void uploadDirectoryOfAMissingDirectoryUploadsNothing() {
    store.uploadDirectory(tmp.resolve("absent"), uri("out/"));

    assertThat(store.list(uri("out/"))).isEmpty();
  }

  @Test
  void isReachableIsTrueForTheServerAndFalseForWrongCredentialsOrAClosedPort() {
    assertThat(store.isReachable()).isTrue();
    try (ArtifactStore wrong = ArtifactStore.connect(settings("not-the-secret"))) {
      assertThat(wrong.isReachable()).isFalse();
    }
    try (ArtifactStore closed =
        ArtifactStore.connect(
            new StorageSettings("http://127.0.0.1:1", "us-east-1", ACCESS_KEY, SECRET_KEY))) {
      assertThat(closed.isReachable()).isFalse();
    }
  }

  @Test
  void wrongCredentialsFailWithAnErrorThatIsNotNotFound() {
    try (ArtifactStore wrong = ArtifactStore.connect(settings("not-the-secret"))) {
      assertThatThrownBy(() -> wrong.getBytes(uri("x")))
          .isInstanceOfSatisfying(
              ArtifactStoreException.class, e -> assertThat(e.isNotFound()).isFalse())
          .hasMessageContaining(uri("x").toString())
          .hasMessageContaining("SignatureDoesNotMatch");
    }
  }

  @Test
  void connectRejectsAnEndpointThatIsNotAnHttpUrl() {
    assertThatThrownBy(
            () -> ArtifactStore.connect(new StorageSettings("localhost:9000", null, "a", "b")))
        .hasMessageContaining("'localhost:9000'");
  }

  private static StorageSettings settings(String secret) {
    return new StorageSettings(server.endpoint().toString(), "us-east-1", ACCESS_KEY, secret);
  }

  private S3Uri uri(String key) {
    return new S3Uri(bucket, key);
  }

  private void put(String key, String content) {
    store.putBytes(uri(key), content.getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  static void writeRandom(Path file, long size) throws IOException {
    Random random = new Random(42);
    byte[] chunk = new byte[1024 * 1024];
    try (var out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        random.nextBytes(chunk);
        int n = (int) Math.min(chunk.length, left);
        out.write(chunk, 0, n);
        left -= n;
      }
    }
  }

  static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static long countFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
