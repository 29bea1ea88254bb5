package io.sagebrush.algorithms.xgboost;

import io.sagebrush.algorithms.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The boosting loop: one {@code update} per round, then the evaluation line printed as SageMaker's
 * logs show it ({@code [3]#011train-rmse:0.41#011validation-rmse:0.44}; the tabs XGBoost prints
 * appear as {@code #011} in SageMaker's CloudWatch logs, and the standard metric definitions match
 * that literal, so Sagebrush prints it). Early stopping follows XGBoost: the last metric on the
 * last data set (validation when present).
 */
public final class XGBoostTrainer {
  private final XGBoostHyperparameters hp;

  /**
   * @param hp validated hyperparameters
   */
  public XGBoostTrainer(XGBoostHyperparameters hp) {
    this.hp = hp;
  }

  /**
   * Trains and saves the model as XGBoost JSON under {@code modelFile}.
   *
   * @return the trained booster (caller disposes)
   */
  public Booster train(Dataset train, Dataset validation, Path modelFile, PrintStream log) {
    try {
      DMatrix dtrain = matrix(train);
      DMatrix dval = validation == null ? null : matrix(validation);
      DMatrix[] mats = dval == null ? new DMatrix[] {dtrain} : new DMatrix[] {dtrain, dval};
      String[] names = dval == null ? new String[] {"train"} : new String[] {"train", "validation"};
      Map<String, Object> params = new HashMap<>(hp.params());
      params.putIfAbsent("verbosity", 1);
      Map<String, DMatrix> watches = new HashMap<>();
      Booster booster = XGBoost.train(dtrain, params, 0, watches, null, null);
      for (String metric : hp.evalMetrics()) {
        booster.setParam("eval_metric", metric);
      }
      double best = Double.NaN;
      int bestRound = -1;
      boolean maximize = false;
      for (int round = 0; round < hp.numRound(); round++) {
        booster.update(dtrain, round);
        String line = booster.evalSet(mats, names, round);
        log.println(sageMakerLine(line));
        if (hp.earlyStoppingRounds() > 0) {
          String[] parts = line.split("\t");
          String last = parts[parts.length - 1];
          int colon = last.lastIndexOf(':');
          String metricName = last.substring(last.indexOf('-') + 1, colon);
          double value = Double.parseDouble(last.substring(colon + 1));
          maximize = isMaximize(metricName);
          if (bestRound < 0 || (maximize ? value > best : value < best)) {
            best = value;
            bestRound = round;
          } else if (round - bestRound >= hp.earlyStoppingRounds()) {
            log.println(
                "Stopping. Best iteration:\n["
                    + bestRound
                    + "]#011"
                    + names[names.length - 1]
                    + "-"
                    + metricName
                    + ":"
                    + best);
            break;
          }
        }
      }
      if (bestRound >= 0) {
        booster.setAttr("best_iteration", String.valueOf(bestRound));
        booster.setAttr("best_score", String.valueOf(best));
      }
      Files.createDirectories(modelFile.getParent());
      ByteArrayOutputStream json = new ByteArrayOutputStream();
      booster.saveModel(json, "json");
      Files.writeString(modelFile, portableJson(json.toString(StandardCharsets.UTF_8)));
      dtrain.dispose();
      if (dval != null) {
        dval.dispose();
      }
      return booster;
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern VECTOR_BASE_SCORE =
      Pattern.compile("\"base_score\":\"\\[([^,\\]]+)\\]\"");

  /**
   * XGBoost 3 writes {@code "base_score":"[5E-1]"} (a vector); XGBoost 1.x, which SageMaker's 1.7
   * images and many notebooks use, reads only a scalar and would silently fall back to 0.5. A
   * one-element vector is written as the scalar, which XGBoost 3 reads as well.
   */
  static String portableJson(String json) {
    Matcher m = VECTOR_BASE_SCORE.matcher(json);
    return m.find() ? m.replaceFirst("\"base_score\":\"$1\"") : json;
  }

  /**
   * {@code [3]\ttrain-rmse:0.4123456} becomes {@code [3]#011train-rmse:0.41235}: five decimals as
   * Python's XGBoost prints them, tabs as SageMaker's logs show them.
   */
  static String sageMakerLine(String evalLine) {
    String[] parts = evalLine.split("\t");
    StringBuilder sb = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      int colon = parts[i].lastIndexOf(':');
      sb.append("#011");
      try {
        double v = Double.parseDouble(parts[i].substring(colon + 1));
        sb.append(parts[i], 0, colon + 1).append(String.format(Locale.ROOT, "%.5f", v));
      } catch (RuntimeException e) {
        sb.append(parts[i]);
      }
    }
    return sb.toString();
  }

  static boolean isMaximize(String metric) {
    String m = metric.split("@", 2)[0];
    return m.equals("auc")
        || m.equals("aucpr")
        || m.equals("map")
        || m.equals("ndcg")
        || m.equals("pre")
        || m.equals("interval-regression-accuracy");
  }

  static DMatrix matrix(Dataset data) throws XGBoostError {
    DMatrix m = new DMatrix(data.features(), data.rows(), data.cols(), Float.NaN);
    m.setLabel(data.labels());
    if (data.weights() != null) {
      m.setWeight(data.weights());
    }
    return m;
  }
}
