package io.sagebrush.algorithms.linear;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebrush.algorithms.JsonModels;
import io.sagebrush.algorithms.container.AlgorithmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained linear model. Weights act on standardised features ({@code (x - mean) / scale});
 * regression outputs are de-standardised with the label scaler.
 *
 * @param predictorType regressor, binary_classifier or multiclass_classifier
 * @param loss the training loss
 * @param featureDim features per record
 * @param outputs 1 for regressor and binary, the class count for multiclass
 * @param weights {@code outputs * featureDim}, row-major by output
 * @param bias one per output
 * @param mean feature means (zeros without normalisation)
 * @param scale feature scales (ones without normalisation)
 * @param labelMean regression label mean (0 without normalisation)
 * @param labelScale regression label scale (1 without normalisation)
 * @param threshold binary decision threshold on the score
 */
public record LinearModel(
    String predictorType,
    String loss,
    int featureDim,
    int outputs,
    double[] weights,
    double[] bias,
    double[] mean,
    double[] scale,
    double labelMean,
    double labelScale,
    double threshold) {

  /** The {@code algorithm} member of the model file. */
  public static final String ALGORITHM = "linear-learner";

  /** The raw outputs (margins) for a row, in standardised label units. */
  public double[] margins(float[] row) {
    double[] z = new double[outputs];
    margins(row, 0, z);
    return z;
  }

  /** The margins of the row starting at {@code off} of a row-major matrix, into {@code z}. */
  void margins(float[] x, int off, double[] z) {
    for (int c = 0; c < outputs; c++) {
      double s = bias[c];
      int wo = c * featureDim;
      for (int t = 0; t < featureDim; t++) {
        s += weights[wo + t] * ((x[off + t] - mean[t]) / scale[t]);
      }
      z[c] = s;
    }
  }

  /**
   * The score of the row starting at {@code off} of a row-major matrix for a one-output model
   * (regressor, binary): {@code score(row)[0]} without copying the row; {@code z} is scratch.
   */
  double score1(float[] x, int off, double[] z) {
    margins(x, off, z);
    return predictorType.equals("regressor")
        ? z[0] * labelScale + labelMean
        : loss.equals("hinge_loss") ? z[0] : sigmoid(z[0]);
  }

  /**
   * The score: regression value, positive-class probability (hinge: margin) or class probabilities.
   */
  public double[] score(float[] row) {
    double[] z = margins(row);
    return switch (predictorType) {
      case "regressor" -> new double[] {z[0] * labelScale + labelMean};
      case "binary_classifier" -> new double[] {loss.equals("hinge_loss") ? z[0] : sigmoid(z[0])};
      default -> softmax(z);
    };
  }

  /** The prediction object SageMaker returns for one record. */
  public Map<String, Object> predict(float[] row) {
    double[] s = score(row);
    Map<String, Object> p = new LinkedHashMap<>();
    switch (predictorType) {
      case "regressor" -> p.put("score", s[0]);
      case "binary_classifier" -> {
        p.put("score", s[0]);
        p.put("predicted_label", s[0] >= threshold ? 1 : 0);
      }
      default -> {
        p.put("score", s);
        p.put("predicted_label", argmax(s));
      }
    }
    return p;
  }

  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  static double[] softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = Math.exp(z[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < z.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** Writes {@code model_algo-1} into the directory. */
  public void save(Path modelDir) {
    ObjectNode root = JsonModels.mapper().createObjectNode();
    root.put("algorithm", ALGORITHM);
    root.put("version", 1);
    root.put("predictor_type", predictorType);
    root.put("loss", loss);
    root.put("feature_dim", featureDim);
    root.put("outputs", outputs);
    array(root.putArray("weights"), weights);
    array(root.putArray("bias"), bias);
    array(root.putArray("mean"), mean);
    array(root.putArray("scale"), scale);
    root.put("label_mean", labelMean);
    root.put("label_scale", labelScale);
    root.put("threshold", threshold);
    try {
      Files.createDirectories(modelDir);
      JsonModels.mapper().writeValue(modelDir.resolve(JsonModels.MODEL_FILE).toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void array(ArrayNode node, double[] values) {
    for (double v : values) {
      node.add(v);
    }
  }

  /** Reads {@code model_algo-1} from the directory. */
  public static LinearModel load(Path modelDir) {
    JsonNode root = JsonModels.read(modelDir.resolve(JsonModels.MODEL_FILE), ALGORITHM);
    int d = root.path("feature_dim").asInt();
    int outputs = root.path("outputs").asInt();
    double[] w = doubles(root.path("weights"));
    double[] b = doubles(root.path("bias"));
    double[] mean = doubles(root.path("mean"));
    double[] scale = doubles(root.path("scale"));
    if (d < 1
        || outputs < 1
        || w.length != d * outputs
        || b.length != outputs
        || mean.length != d
        || scale.length != d) {
      throw new AlgorithmException("model_algo-1 is not a valid linear-learner model");
    }
    return new LinearModel(
        root.path("predictor_type").asText(),
        root.path("loss").asText(),
        d,
        outputs,
        w,
        b,
        mean,
        scale,
        root.path("label_mean").asDouble(),
        root.path("label_scale").asDouble(1),
        root.path("threshold").asDouble(0.5));
  }

  private static double[] doubles(JsonNode arr) {
    double[] v = new double[arr.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = arr.get(i).asDouble();
    }
    return v;
  }
}
