package io.sagebrush.artifacts.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.protocol.StorageSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

class EmbeddedS3ServerIT {
  private static final String ACCESS_KEY = "embedded-it";
  private static final String SECRET_KEY = "embedded-it-secret";

  @TempDir Path data;
  @TempDir Path tmp;

  @Test
  void portZeroPicksAFreePortAndTheEndpointNamesIt() {
    try (EmbeddedS3Server server = start()) {
      assertThat(server.port()).isPositive();
      assertThat(server.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + server.port()));
      assertThat(server.dataDir()).isEqualTo(data.toAbsolutePath().normalize());
    }
  }

  @Test
  void aWildcardBindAddressIsReportedAsLoopback() {
    try (EmbeddedS3Server server =
        EmbeddedS3Server.start("0.0.0.0", 0, data, ACCESS_KEY, SECRET_KEY)) {
      assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
      try (ArtifactStore store = store(server)) {
        assertThat(store.isReachable()).isTrue();
      }
    }
  }

  @Test
  void bucketsAndObjectsSurviveARestartOnTheSameDataDirectory() throws IOException {
    Path big = tmp.resolve("big.bin");
    byte[] bytes = new byte[20 * 1024 * 1024];
    new Random(7).nextBytes(bytes);
    Files.write(big, bytes);
    int port;
    try (EmbeddedS3Server server = start();
        ArtifactStore store = store(server)) {
      port = server.port();
      store.ensureBucket("persist");
      store.putBytes(S3Uri.parse("s3://persist/a/small.txt"), bytes(("small")), "text/plain");
      store.upload(big, S3Uri.parse("s3://persist/b/big.bin"));
    }

    try (EmbeddedS3Server server =
            EmbeddedS3Server.start("127.0.0.1", port, data, ACCESS_KEY, SECRET_KEY);
        ArtifactStore store = store(server)) {
      assertThat(server.port()).isEqualTo(port);
      assertThat(store.getBytes(S3Uri.parse("s3://persist/a/small.txt")))
          .asString()
          .isEqualTo("small");
      Path back = tmp.resolve("back.bin");
      store.download(S3Uri.parse("s3://persist/b/big.bin"), back);
      assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
      assertThat(store.list(S3Uri.parse("s3://persist/")))
          .extracting(o -> o.uri().key())
          .containsExactly("a/small.txt", "b/big.bin");
    }
  }

  @Test
  void startingOnAPortInUseFailsWithAClearMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertThatThrownBy(
              () ->
                  EmbeddedS3Server.start(
                      "127.0.0.1", taken.getLocalPort(), data, ACCESS_KEY, SECRET_KEY))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void unsignedRequestsAreRefused() throws Exception {
    try (EmbeddedS3Server server = start()) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(server.endpoint()).GET().build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).contains("AccessDenied");
    }
  }

  /**
   * With checksums "when required" SDK v2 sends STREAMING-AWS4-HMAC-SHA256-PAYLOAD, which S3Proxy
   * handles itself; {@code RequestBody.fromString} sends {@code text/plain; charset=UTF-8}, which
   * needs the case-sensitive header cache.
   */
  @Test
  void theAwsSdkForJavaV2WorksAgainstTheServerWithChecksumsWhenRequired() {
    try (EmbeddedS3Server server = start();
        S3Client s3 =
            S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build()) {
      s3.createBucket(b -> b.bucket("sdk"));
      s3.putObject(b -> b.bucket("sdk").key("dir/x.txt"), RequestBody.fromString("from sdk"));

      assertThat(s3.getObjectAsBytes(b -> b.bucket("sdk").key("dir/x.txt")).asUtf8String())
          .isEqualTo("from sdk");
      assertThat(s3.listObjectsV2(b -> b.bucket("sdk")).contents())
          .extracting(S3Object::key)
          .containsExactly("dir/x.txt");
      try (ArtifactStore store = store(server)) {
        assertThat(store.getBytes(S3Uri.parse("s3://sdk/dir/x.txt")))
            .asString()
            .isEqualTo("from sdk");
      }
    }
  }

  @Test
  void theAwsSdkForJavaV2WithDefaultChecksumsUploadsAndDownloads() throws IOException {
    Path big = tmp.resolve("sdk-big.bin");
    byte[] bytes = new byte[3 * 1024 * 1024 + 17];
    new Random(3).nextBytes(bytes);
    Files.write(big, bytes);
    try (EmbeddedS3Server server = start();
        S3Client s3 = defaultSdkClient(server, SECRET_KEY)) {
      s3.createBucket(b -> b.bucket("trailer"));
      s3.putObject(b -> b.bucket("trailer").key("a b/ü.txt"), RequestBody.fromString("hello"));
      s3.putObject(b -> b.bucket("trailer").key("big.bin"), RequestBody.fromFile(big));
      s3.putObject(b -> b.bucket("trailer").key("empty"), RequestBody.empty());

      assertThat(s3.getObjectAsBytes(b -> b.bucket("trailer").key("a b/ü.txt")).asUtf8String())
          .isEqualTo("hello");
      assertThat(s3.getObjectAsBytes(b -> b.bucket("trailer").key("big.bin")).asByteArray())
          .isEqualTo(bytes);
      assertThat(s3.getObjectAsBytes(b -> b.bucket("trailer").key("empty")).asByteArray())
          .isEmpty();
      String uploadId = s3.createMultipartUpload(b -> b.bucket("trailer").key("mp.bin")).uploadId();
      String etag =
          s3.uploadPart(
                  b -> b.bucket("trailer").key("mp.bin").uploadId(uploadId).partNumber(1),
                  RequestBody.fromBytes(bytes))
              .eTag();
      s3.completeMultipartUpload(
          b ->
              b.bucket("trailer")
                  .key("mp.bin")
                  .uploadId(uploadId)
                  .multipartUpload(
                      m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("trailer").key("mp.bin")).asByteArray())
          .isEqualTo(bytes);
    }
  }

  @Test
  void aSignedTrailerUploadWithTheWrongSecretIsRefused() {
    try (EmbeddedS3Server server = start();
        S3Client good = defaultSdkClient(server, SECRET_KEY);
        S3Client bad = defaultSdkClient(server, "not-the-secret")) {
      good.createBucket(b -> b.bucket("guarded"));

      assertThatThrownBy(
              () -> bad.putObject(b -> b.bucket("guarded").key("x"), RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      assertThat(good.listObjectsV2(b -> b.bucket("guarded")).contents()).isEmpty();
    }
  }

  private static S3Client defaultSdkClient(EmbeddedS3Server server, String secret) {
    return S3Client.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)))
        .build();
  }

  @Test
  void aContentTypeWithACharsetKeepsTheSignatureValid() {
    try (EmbeddedS3Server server = start();
        ArtifactStore store = store(server)) {
      store.ensureBucket("charset");
      S3Uri uri = S3Uri.parse("s3://charset/a.json");

      store.putBytes(uri, bytes("{}"), "application/json; charset=UTF-8");

      assertThat(store.getBytes(uri)).asString().isEqualTo("{}");
    }
  }

  @Test
  void clientsSigningForAnotherRegionCanCreateBucketsAndObjects() {
    try (EmbeddedS3Server server = start();
        ArtifactStore store =
            ArtifactStore.connect(
                new StorageSettings(
                    server.endpoint().toString(), "eu-west-1", ACCESS_KEY, SECRET_KEY))) {
      store.ensureBucket("regional");
      S3Uri uri = S3Uri.parse("s3://regional/x.bin");

      store.putBytes(uri, bytes("x"), null);

      assertThat(store.getBytes(uri)).asString().isEqualTo("x");
    }
  }

  @Test
  void startRequiresCredentials() {
    assertThatThrownBy(() -> EmbeddedS3Server.start("127.0.0.1", 0, data, "", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private EmbeddedS3Server start() {
    return EmbeddedS3Server.start("127.0.0.1", 0, data, ACCESS_KEY, SECRET_KEY);
  }

  private static ArtifactStore store(EmbeddedS3Server server) {
    return ArtifactStore.connect(
        new StorageSettings(server.endpoint().toString(), "us-east-1", ACCESS_KEY, SECRET_KEY));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
