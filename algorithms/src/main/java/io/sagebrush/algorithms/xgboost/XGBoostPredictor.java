package io.sagebrush.algorithms.xgboost;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.serve.InvocationException;
import io.sagebrush.algorithms.serve.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Serves an {@code xgboost-model} (any format XGBoost loads: JSON, UBJSON, legacy binary). Each
 * prediction is {@code {"score": value}} ({@code score} is a list for multi-class probability
 * rows); CSV is one prediction per line.
 */
public final class XGBoostPredictor implements Predictor {
  private final Booster booster;
  private final int features;

  private XGBoostPredictor(Booster booster, int features) {
    this.booster = booster;
    this.features = features;
  }

  /** Loads the booster. */
  public static XGBoostPredictor load(Path modelFile) {
    if (!Files.isRegularFile(modelFile)) {
      throw new AlgorithmException("no XGBoost model at " + modelFile);
    }
    try {
      Booster b = XGBoost.loadModel(Files.readAllBytes(modelFile));
      return new XGBoostPredictor(b, (int) b.getNumFeature());
    } catch (XGBoostError | IOException e) {
      String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new AlgorithmException(
          modelFile.getFileName()
              + " is not a model XGBoost 3 loads (JSON or UBJSON; the legacy binary format of"
              + " SageMaker's 1.x images is not read: convert it with Python xgboost's"
              + " Booster.save_model('xgboost-model.json')): "
              + first,
          e);
    }
  }

  @Override
  public int featureDim() {
    return features;
  }

  @Override
  public String defaultAccept() {
    return "text/csv";
  }

  @Override
  public List<Map<String, Object>> predict(float[][] rows) {
    if (rows.length == 0) {
      return List.of();
    }
    float[] flat = new float[rows.length * features];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != features) {
        throw new InvocationException(
            400,
            "record "
                + (r + 1)
                + " has "
                + rows[r].length
                + " features but the model has "
                + features);
      }
      System.arraycopy(rows[r], 0, flat, r * features, rows[r].length);
    }
    float[][] out;
    try {
      DMatrix m = new DMatrix(flat, rows.length, features, Float.NaN);
      try {
        synchronized (booster) {
          out = booster.predict(m);
        }
      } finally {
        m.dispose();
      }
    } catch (XGBoostError e) {
      throw new InvocationException(400, "prediction failed: " + e.getMessage());
    }
    List<Map<String, Object>> result = new ArrayList<>(out.length);
    for (float[] o : out) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("score", o.length == 1 ? (Object) o[0] : o);
      result.add(p);
    }
    return result;
  }
}
