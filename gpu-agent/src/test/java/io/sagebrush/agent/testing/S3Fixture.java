package io.sagebrush.agent.testing;

import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.artifacts.archive.TarGz;
import io.sagebrush.artifacts.embedded.EmbeddedS3Server;
import io.sagebrush.protocol.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A real embedded S3 server (S3Proxy) with a connected {@link ArtifactStore}. */
public final class S3Fixture implements AutoCloseable {
  public static final String ACCESS_KEY = "agent-test-access";
  public static final String SECRET_KEY = "agent-test-secret-key";

  private final EmbeddedS3Server server;
  private final ArtifactStore store;
  private final Path scratch;

  private S3Fixture(EmbeddedS3Server server, ArtifactStore store, Path scratch) {
    this.server = server;
    this.store = store;
    this.scratch = scratch;
  }

  /** Starts a server with its data under {@code dir}. */
  public static S3Fixture start(Path dir) throws IOException {
    Path data = Files.createDirectories(dir.resolve("s3-data"));
    EmbeddedS3Server server = EmbeddedS3Server.start("127.0.0.1", 0, data, ACCESS_KEY, SECRET_KEY);
    StorageSettings settings =
        new StorageSettings(server.endpoint().toString(), "us-east-1", ACCESS_KEY, SECRET_KEY);
    return new S3Fixture(
        server, ArtifactStore.connect(settings), Files.createDirectories(dir.resolve("scratch")));
  }

  public StorageSettings settings() {
    return new StorageSettings(server.endpoint().toString(), "us-east-1", ACCESS_KEY, SECRET_KEY);
  }

  public ArtifactStore store() {
    return store;
  }

  public void bucket(String name) {
    store.ensureBucket(name);
  }

  public void put(String uri, String content) {
    S3Uri u = S3Uri.parse(uri);
    store.ensureBucket(u.bucket());
    store.putBytes(u, content.getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  public String get(String uri) {
    return new String(store.getBytes(S3Uri.parse(uri)), StandardCharsets.UTF_8);
  }

  public boolean exists(String uri) {
    return store.exists(S3Uri.parse(uri));
  }

  /** Downloads a tar.gz and returns its files (relative path to content). */
  public Map<String, String> tarContents(String uri) {
    try {
      Path dir = Files.createTempDirectory(scratch, "tar");
      Path tar = dir.resolve("archive.tar.gz");
      store.download(S3Uri.parse(uri), tar);
      Path out = Files.createDirectories(dir.resolve("out"));
      TarGz.unpack(tar, out);
      Map<String, String> files = new TreeMap<>();
      try (Stream<Path> paths = Files.walk(out)) {
        for (Path p : (Iterable<Path>) paths::iterator) {
          if (Files.isRegularFile(p)) {
            files.put(out.relativize(p).toString(), Files.readString(p));
          }
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Packs a directory tree given as path to content into a tar.gz object. */
  public void putTarGz(String uri, Map<String, String> files) {
    try {
      Path dir = Files.createTempDirectory(scratch, "src");
      Path root = Files.createDirectories(dir.resolve("root"));
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path p = root.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue());
      }
      Path tar = dir.resolve("sourcedir.tar.gz");
      TarGz.pack(root, tar);
      S3Uri u = S3Uri.parse(uri);
      store.ensureBucket(u.bucket());
      store.upload(tar, u);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      store.close();
    } catch (Exception ignored) {
      // closing
    }
    server.close();
  }
}
