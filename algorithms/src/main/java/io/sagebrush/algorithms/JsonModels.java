package io.sagebrush.algorithms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.algorithms.container.AlgorithmException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The model file of Linear Learner and K-Means: a JSON document named {@code model_algo-1} (the
 * name SageMaker's artifacts use) whose {@code algorithm} member names its writer.
 */
public final class JsonModels {
  /** The file name inside model.tar.gz. */
  public static final String MODEL_FILE = "model_algo-1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonModels() {}

  /** The shared mapper. */
  public static ObjectMapper mapper() {
    return JSON;
  }

  /** Reads the document and checks its {@code algorithm} member. */
  public static JsonNode read(Path file, String algorithm) {
    JsonNode node = readAny(file);
    if (!algorithm.equals(node.path("algorithm").asText())) {
      throw new AlgorithmException(
          file.getFileName()
              + " is a "
              + node.path("algorithm").asText()
              + " model, not "
              + algorithm);
    }
    return node;
  }

  static String algorithmOf(Path file) {
    return readAny(file).path("algorithm").asText();
  }

  private static JsonNode readAny(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AlgorithmException(
          "cannot read model " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }
}
