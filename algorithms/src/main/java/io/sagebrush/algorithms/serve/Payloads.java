package io.sagebrush.algorithms.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.ContentTypes;
import io.sagebrush.algorithms.data.RecordIoProtobufReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses invocation bodies into feature rows: {@code text/csv} (features only, empty cells
 * missing), {@code text/libsvm} (an optional leading label is ignored), {@code application/json}
 * ({@code {"instances":[{"features":[..]}]}}, the {@code data.features.values} form, sparse {@code
 * keys/shape/values}, a bare array of rows or one row) and {@code application/jsonlines} (one such
 * instance per line). Errors are {@link InvocationException}s: 415 for a type it does not read, 400
 * for a malformed body.
 */
public final class Payloads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Payloads() {}

  /**
   * @param contentType the request's Content-Type (null: text/csv)
   * @param body the request body
   * @param featureDim the model's feature count, or -1 when unknown
   */
  public static float[][] parse(String contentType, byte[] body, int featureDim) {
    String media = ContentTypes.mediaType(contentType);
    String text = new String(body, StandardCharsets.UTF_8);
    float[][] rows =
        switch (media) {
          case "", "text/csv", "csv" -> csv(text);
          case "text/libsvm", "text/x-libsvm", "libsvm" -> libsvm(text, featureDim);
          case "application/json" -> json(text, featureDim);
          case "application/jsonlines", "application/json-lines", "application/x-jsonlines" ->
              jsonLines(text, featureDim);
          case "application/x-recordio-protobuf" -> recordIo(body);
          default ->
              throw new InvocationException(
                  415,
                  "unsupported Content-Type '"
                      + contentType
                      + "'; use text/csv, text/libsvm, application/json, application/jsonlines or"
                      + " application/x-recordio-protobuf");
        };
    if (featureDim > 0) {
      for (int i = 0; i < rows.length; i++) {
        if (rows[i].length != featureDim) {
          throw new InvocationException(
              400,
              "record "
                  + (i + 1)
                  + " has "
                  + rows[i].length
                  + " features but the model expects "
                  + featureDim);
        }
      }
    }
    return rows;
  }

  static float[][] recordIo(byte[] body) {
    try {
      return RecordIoProtobufReader.rows(body, "request body");
    } catch (AlgorithmException e) {
      throw new InvocationException(
          400, "application/x-recordio-protobuf: " + e.getMessage().replaceFirst("^file ", ""));
    }
  }

  static float[][] csv(String text) {
    List<float[]> rows = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int l = 0; l < lines.length; l++) {
      String line = lines[l];
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      float[] row = new float[cells.length];
      for (int c = 0; c < cells.length; c++) {
        String cell = cells[c].trim();
        if (cell.isEmpty()) {
          row[c] = Float.NaN;
          continue;
        }
        try {
          row[c] = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
          throw new InvocationException(
              400,
              "text/csv line "
                  + (l + 1)
                  + " column "
                  + (c + 1)
                  + ": '"
                  + cell
                  + "' is not a number");
        }
      }
      rows.add(row);
    }
    return rows.toArray(new float[0][]);
  }

  static float[][] libsvm(String text, int featureDim) {
    List<int[]> indices = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    int width = Math.max(featureDim, 0);
    String[] lines = text.split("\r?\n");
    for (int l = 0; l < lines.length; l++) {
      String line = lines[l].trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] tokens = line.split("\\s+");
      int start = tokens[0].contains(":") ? 0 : 1;
      int[] idx = new int[tokens.length - start];
      float[] val = new float[tokens.length - start];
      for (int t = start; t < tokens.length; t++) {
        String[] kv = tokens[t].split(":", 2);
        try {
          idx[t - start] = Integer.parseInt(kv[0]);
          val[t - start] = Float.parseFloat(kv[1]);
        } catch (RuntimeException e) {
          throw new InvocationException(
              400,
              "text/libsvm line " + (l + 1) + ": token '" + tokens[t] + "' is not index:value");
        }
        if (idx[t - start] < 0 || (featureDim > 0 && idx[t - start] >= featureDim)) {
          throw new InvocationException(
              400,
              "text/libsvm line "
                  + (l + 1)
                  + ": index "
                  + idx[t - start]
                  + " is outside the model's "
                  + featureDim
                  + " features");
        }
        width = Math.max(width, idx[t - start] + 1);
      }
      indices.add(idx);
      values.add(val);
    }
    float[][] rows = new float[indices.size()][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = new float[width];
      Arrays.fill(rows[r], Float.NaN);
      for (int i = 0; i < indices.get(r).length; i++) {
        rows[r][indices.get(r)[i]] = values.get(r)[i];
      }
    }
    return rows;
  }

  static float[][] json(String text, int featureDim) {
    JsonNode root = readJson(text, "application/json body");
    List<float[]> rows = new ArrayList<>();
    if (root.isObject() && root.has("instances")) {
      JsonNode instances = root.get("instances");
      if (!instances.isArray()) {
        throw new InvocationException(400, "application/json: 'instances' must be an array");
      }
      for (int i = 0; i < instances.size(); i++) {
        rows.add(instance(instances.get(i), featureDim, "instance " + (i + 1)));
      }
    } else if (root.isArray() && root.size() > 0 && root.get(0).isArray()) {
      for (int i = 0; i < root.size(); i++) {
        rows.add(instance(root.get(i), featureDim, "row " + (i + 1)));
      }
    } else {
      rows.add(instance(root, featureDim, "the body"));
    }
    return rows.toArray(new float[0][]);
  }

  static float[][] jsonLines(String text, int featureDim) {
    List<float[]> rows = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int l = 0; l < lines.length; l++) {
      if (lines[l].isBlank()) {
        continue;
      }
      rows.add(
          instance(
              readJson(lines[l], "application/jsonlines line " + (l + 1)),
              featureDim,
              "line " + (l + 1)));
    }
    return rows.toArray(new float[0][]);
  }

  private static JsonNode readJson(String text, String what) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null) {
        throw new InvocationException(400, what + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvocationException(400, what + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static float[] instance(JsonNode node, int featureDim, String where) {
    if (node.isArray()) {
      return dense(node, where);
    }
    if (node.isObject() && node.has("features")) {
      return dense(node.get("features"), where);
    }
    if (node.isObject() && node.has("data")) {
      JsonNode features = node.get("data").path("features");
      JsonNode values = features.path("values");
      if (!values.isArray()) {
        throw new InvocationException(
            400, where + ": data.features.values must be an array of numbers");
      }
      if (!features.has("keys")) {
        return dense(values, where);
      }
      JsonNode keys = features.get("keys");
      int width = featureDim;
      if (features.path("shape").isArray() && features.path("shape").size() > 0) {
        width = features.path("shape").get(0).asInt();
      }
      if (width <= 0 || keys.size() != values.size()) {
        throw new InvocationException(
            400, where + ": sparse features need keys and values of one length and a shape");
      }
      float[] row = new float[width];
      for (int i = 0; i < keys.size(); i++) {
        int key = keys.get(i).asInt(-1);
        if (key < 0 || key >= width) {
          throw new InvocationException(
              400, where + ": key " + keys.get(i) + " is outside the shape");
        }
        row[key] = number(values.get(i), where);
      }
      return row;
    }
    throw new InvocationException(
        400,
        where
            + ": expected an array of numbers, {\"features\":[...]} or"
            + " {\"data\":{\"features\":{\"values\":[...]}}}");
  }

  private static float[] dense(JsonNode arr, String where) {
    if (!arr.isArray()) {
      throw new InvocationException(400, where + ": features must be an array of numbers");
    }
    float[] row = new float[arr.size()];
    for (int i = 0; i < arr.size(); i++) {
      row[i] = number(arr.get(i), where);
    }
    return row;
  }

  private static float number(JsonNode v, String where) {
    if (v.isNumber()) {
      return v.floatValue();
    }
    if (v.isNull()) {
      return Float.NaN;
    }
    throw new InvocationException(400, where + ": " + v + " is not a number");
  }
}
