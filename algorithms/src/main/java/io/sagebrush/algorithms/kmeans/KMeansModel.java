package io.sagebrush.algorithms.kmeans;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebrush.algorithms.JsonModels;
import io.sagebrush.algorithms.container.AlgorithmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Trained centroids.
 *
 * @param k number of clusters
 * @param featureDim features per record
 * @param centroids {@code k * featureDim} values, row-major
 */
public record KMeansModel(int k, int featureDim, double[] centroids) {
  /** The {@code algorithm} member of the model file. */
  public static final String ALGORITHM = "kmeans";

  /** Writes {@code model_algo-1} into the directory. */
  public void save(Path modelDir) {
    ObjectNode root = JsonModels.mapper().createObjectNode();
    root.put("algorithm", ALGORITHM);
    root.put("version", 1);
    root.put("feature_dim", featureDim);
    root.put("k", k);
    ArrayNode cs = root.putArray("centroids");
    for (int j = 0; j < k; j++) {
      ArrayNode row = cs.addArray();
      for (int t = 0; t < featureDim; t++) {
        row.add(centroids[j * featureDim + t]);
      }
    }
    try {
      java.nio.file.Files.createDirectories(modelDir);
      JsonModels.mapper().writeValue(modelDir.resolve(JsonModels.MODEL_FILE).toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@code model_algo-1} from the directory. */
  public static KMeansModel load(Path modelDir) {
    JsonNode root = JsonModels.read(modelDir.resolve(JsonModels.MODEL_FILE), ALGORITHM);
    int k = root.path("k").asInt();
    int d = root.path("feature_dim").asInt();
    JsonNode cs = root.path("centroids");
    if (k < 1 || d < 1 || cs.size() != k) {
      throw new AlgorithmException("model_algo-1 is not a valid kmeans model");
    }
    double[] c = new double[k * d];
    for (int j = 0; j < k; j++) {
      JsonNode row = cs.get(j);
      if (row.size() != d) {
        throw new AlgorithmException(
            "model_algo-1 centroid " + j + " has " + row.size() + " values, not " + d);
      }
      for (int t = 0; t < d; t++) {
        c[j * d + t] = row.get(t).asDouble();
      }
    }
    return new KMeansModel(k, d, c);
  }

  /** Index of the closest centroid to the row and the Euclidean distance to it. */
  public Assignment assign(float[] row) {
    double[] out = new double[1];
    int j = KMeansMath.nearest(row, 0, centroids, k, featureDim, out);
    return new Assignment(j, Math.sqrt(out[0]));
  }

  /** Sum of squared distances of the data to their closest centroids. */
  public double sumOfSquaredDistances(io.sagebrush.algorithms.data.Dataset data) {
    return KMeansMath.inertia(data.features(), data.rows(), featureDim, centroids, k);
  }

  /**
   * A record's cluster.
   *
   * @param cluster 0-based cluster index
   * @param distance Euclidean distance to its centroid
   */
  public record Assignment(int cluster, double distance) {}
}
