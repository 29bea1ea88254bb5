package io.sagebrush.algorithms.serve;

import java.util.List;
import java.util.Map;

/** A loaded model that answers invocations. Implementations are thread-safe. */
public interface Predictor {
  /** The number of features a row must have, or -1 when any count up to the model's works. */
  int featureDim();

  /** The response type when the request has no Accept (or {@code *}{@code /*}). */
  String defaultAccept();

  /**
   * One prediction per row, as the JSON object SageMaker returns for it ({@code score}, {@code
   * predicted_label}, {@code closest_cluster}, ...), members in response order.
   *
   * @param rows feature rows; NaN marks a missing value
   * @throws InvocationException (400) when a row does not fit the model
   */
  List<Map<String, Object>> predict(float[][] rows);

  /** The CSV line of one prediction (defaults to the values joined by commas). */
  default String csvLine(Map<String, Object> prediction) {
    StringBuilder sb = new StringBuilder();
    for (Object v : prediction.values()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      if (v instanceof float[] arr) {
        for (int i = 0; i < arr.length; i++) {
          sb.append(i == 0 ? "" : ",").append(arr[i]);
        }
      } else if (v instanceof double[] arr) {
        for (int i = 0; i < arr.length; i++) {
          sb.append(i == 0 ? "" : ",").append(arr[i]);
        }
      } else if (v instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          sb.append(i == 0 ? "" : ",").append(list.get(i));
        }
      } else {
        sb.append(v);
      }
    }
    return sb.toString();
  }
}
