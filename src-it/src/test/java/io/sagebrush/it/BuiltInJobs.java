package io.sagebrush.it;

import io.sagebrush.it.support.Archives;
import io.sagebrush.it.support.TrainingJobs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;

/**
 * What the built-in algorithm tests share: SageMaker's image URIs, small generated CSV data sets,
 * requests shaped as a SageMaker notebook sends them, the local {@code sagebrush/<algo>:1} images
 * and the algorithms jar.
 */
final class BuiltInJobs {
  /**
   * The image URIs SageMaker's documentation and the Python SDK's image_uris give for us-east-1.
   */
  static final String XGBOOST_IMAGE =
      "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1";

  static final String LINEAR_LEARNER_IMAGE =
      "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1";
  static final String KMEANS_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1";

  /** The number pattern of the SageMaker Python SDK's metric definitions for built-ins. */
  static final String FLOAT = "([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)";

  private static final List<String> LOCAL_IMAGES =
      List.of("sagebrush/xgboost:1", "sagebrush/linear-learner:1", "sagebrush/kmeans:1");
  private static boolean imagesChecked;

  private BuiltInJobs() {}

  /**
   * A metric definition as the SageMaker Python SDK attaches to a built-in XGBoost estimator, e.g.
   * {@code validation:rmse} with {@code .*\[[0-9]+\].*#011validation-rmse:(<number>).*}.
   */
  static MetricDefinition xgboostMetric(String channel, String metric) {
    return MetricDefinition.builder()
        .name(channel + ":" + metric)
        .regex(".*\\[[0-9]+\\].*#011" + channel + "-" + metric + ":" + FLOAT + ".*")
        .build();
  }

  /** A one-host File-mode job of a built-in image with the given hyperparameters and channels. */
  static CreateTrainingJobRequest aBuiltInJob(
      String name,
      String image,
      Map<String, String> hyperParameters,
      List<MetricDefinition> metrics,
      Channel... channels) {
    return TrainingJobs.aTrainerJob(name, hyperParameters)
        .algorithmSpecification(
            AlgorithmSpecification.builder()
                .trainingImage(image)
                .trainingInputMode(TrainingInputMode.FILE)
                .metricDefinitions(metrics)
                .build())
        .inputDataConfig(channels)
        .build();
  }

  /** An S3Prefix channel with a ContentType, as {@code TrainingInput(..., content_type=...)}. */
  static Channel aChannel(String name, String s3Uri, String contentType) {
    return TrainingJobs.aChannel(name, s3Uri).toBuilder().contentType(contentType).build();
  }

  /** Uploads one CSV file as {@code s3://it-data/<prefix>/data.csv} and returns the prefix URI. */
  static String uploadCsv(S3Client s3, String prefix, String csv) {
    return TrainingJobs.upload(s3, TrainingJobs.BUCKET, prefix, Map.of("data.csv", csv));
  }

  /** {@code rows} lines {@code y,x1,x2} with y = 2*x1 - x2 + small noise (no header). */
  static String regressionCsv(int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      double x1 = random.nextDouble() * 4 - 2;
      double x2 = random.nextDouble() * 4 - 2;
      double y = 2 * x1 - x2 + random.nextGaussian() * 0.05;
      csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f%n", y, x1, x2));
    }
    return csv.toString();
  }

  /** {@code rows} lines {@code label,x1,x2} with label = 1 when x1 + x2 > 0 (separable). */
  static String binaryCsv(int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      double x1 = random.nextDouble() * 4 - 2;
      double x2 = random.nextDouble() * 4 - 2;
      int label = x1 + x2 > 0 ? 1 : 0;
      csv.append(String.format(Locale.ROOT, "%d,%.5f,%.5f%n", label, x1, x2));
    }
    return csv.toString();
  }

  /** The centres of {@link #blobsCsv}: three well separated points in the plane. */
  static final double[][] BLOB_CENTRES = {{0, 0}, {10, 10}, {-10, 10}};

  /** {@code perBlob} points around each of {@link #BLOB_CENTRES}, lines {@code x1,x2}, no label. */
  static String blobsCsv(int perBlob, long seed) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < perBlob; i++) {
      for (double[] c : BLOB_CENTRES) {
        csv.append(
            String.format(
                Locale.ROOT,
                "%.5f,%.5f%n",
                c[0] + random.nextGaussian() * 0.5,
                c[1] + random.nextGaussian() * 0.5));
      }
    }
    return csv.toString();
  }

  /**
   * Rows of {@code label,x1,x2} as the SageMaker Python SDK's {@code record_set()} writes them
   * ({@code write_numpy_to_dense_tensor}): MXNet RecordIO frames, each holding one protobuf {@code
   * Record} with {@code features["values"]} and {@code label["values"]} as Float32Tensors.
   */
  static byte[] recordIoProtobuf(String labelledCsv) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (String line : labelledCsv.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",");
      float[] features = new float[cells.length - 1];
      for (int i = 1; i < cells.length; i++) {
        features[i - 1] = Float.parseFloat(cells[i]);
      }
      float[] label = {Float.parseFloat(cells[0])};
      byte[] record =
          concat(
              field(1, mapEntry("values", value(features))),
              field(2, mapEntry("values", value(label))));
      writeIntLe(out, 0xced7230a);
      writeIntLe(out, record.length); // cflag 0: the whole record in one frame
      out.writeBytes(record);
      out.writeBytes(new byte[(4 - record.length % 4) % 4]);
    }
    return out.toByteArray();
  }

  /** A {@code Value} whose {@code float32_tensor} (field 2) holds packed {@code values} (1). */
  private static byte[] value(float[] values) {
    java.nio.ByteBuffer packed =
        java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      packed.putFloat(v);
    }
    return field(2, field(1, packed.array()));
  }

  /** A {@code map<string, Value>} entry: key (1), value (2). */
  private static byte[] mapEntry(String key, byte[] value) {
    return concat(field(1, key.getBytes(StandardCharsets.UTF_8)), field(2, value));
  }

  /** A length-delimited protobuf field. */
  private static byte[] field(int number, byte[] payload) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    writeVarint(out, (number << 3) | 2);
    writeVarint(out, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static void writeVarint(java.io.ByteArrayOutputStream out, int value) {
    while ((value & ~0x7f) != 0) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  private static void writeIntLe(java.io.ByteArrayOutputStream out, int value) {
    out.write(value);
    out.write(value >>> 8);
    out.write(value >>> 16);
    out.write(value >>> 24);
  }

  /** The files of the job's model.tar.gz. */
  static Map<String, String> modelFiles(S3Client s3, DescribeTrainingJobResponse job) {
    return Archives.untarGz(TrainingJobs.download(s3, job.modelArtifacts().s3ModelArtifacts()));
  }

  /**
   * The docker runtime runs built-in images as the local {@code sagebrush/<algo>:1} images: builds
   * them with {@code algorithms/build-image.sh} (offline) when one is missing.
   */
  static synchronized void ensureLocalImages() {
    if (imagesChecked) {
      return;
    }
    boolean missing = false;
    for (String image : LOCAL_IMAGES) {
      if (run(List.of("docker", "image", "inspect", image), 1).exit() != 0) {
        missing = true;
      }
    }
    if (missing) {
      Path script = moduleRelative("algorithms/build-image.sh");
      Result build = run(List.of("bash", script.toString()), 10);
      if (build.exit() != 0) {
        throw new IllegalStateException(
            "building the built-in algorithm images with "
                + script
                + " failed:\n"
                + build.output());
      }
    }
    imagesChecked = true;
  }

  /**
   * The algorithms jar the process runtime runs: system property {@code sagebrush.algorithms.jar},
   * else {@code algorithms/target/sagebrush-algorithms.jar} of this checkout.
   */
  static Path algorithmsJar() {
    String configured = System.getProperty("sagebrush.algorithms.jar");
    Path jar =
        configured != null && !configured.isBlank()
            ? Path.of(configured).toAbsolutePath()
            : moduleRelative("algorithms/target/sagebrush-algorithms.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "missing " + jar + ": build it with ./mvnw -pl algorithms package");
    }
    return jar;
  }

  /** {@code path} under the repository root, whether the tests run from src-it or from the root. */
  private static Path moduleRelative(String path) {
    Path fromModule = Path.of("..").resolve(path).toAbsolutePath().normalize();
    return Files.exists(fromModule) ? fromModule : Path.of(path).toAbsolutePath().normalize();
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, int timeoutMinutes) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return new Result(-1, output + "\n(timed out)");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
