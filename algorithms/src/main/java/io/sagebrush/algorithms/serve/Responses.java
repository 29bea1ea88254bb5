package io.sagebrush.algorithms.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.algorithms.data.RecordIoProtobufWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes predictions as {@code text/csv}, {@code application/json}, JSON Lines or
 * RecordIO-protobuf.
 */
public final class Responses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  /**
   * Picks the response type: the first supported type of the Accept list; a missing Accept or
   * {@code *}{@code /*} gives {@code $SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT} or the predictor's
   * default.
   *
   * @throws InvocationException 406 when no listed type is supported
   */
  public static String negotiate(String accept, String fallback) {
    if (accept == null || accept.isBlank()) {
      return fallback;
    }
    for (String part : accept.split(",")) {
      String media = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      switch (media) {
        case "*/*":
          return fallback;
        case "text/csv", "application/json", "application/x-recordio-protobuf":
          return media;
        case "application/jsonlines", "application/json-lines", "application/x-jsonlines":
          return "application/jsonlines";
        default:
          break;
      }
    }
    throw new InvocationException(
        406,
        "unsupported Accept '"
            + accept
            + "'; use text/csv, application/json, application/jsonlines or"
            + " application/x-recordio-protobuf");
  }

  /** The body for the negotiated type. */
  public static byte[] encode(String media, List<Map<String, Object>> predictions, Predictor p) {
    if (media.equals("application/x-recordio-protobuf")) {
      return RecordIoProtobufWriter.labelRecords(predictions);
    }
    return text(media, predictions, p).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(String media, List<Map<String, Object>> predictions, Predictor p) {
    try {
      switch (media) {
        case "application/json":
          return JSON.writeValueAsString(Map.of("predictions", predictions));
        case "application/jsonlines":
          {
            StringBuilder sb = new StringBuilder();
            for (Map<String, Object> pred : predictions) {
              sb.append(JSON.writeValueAsString(pred)).append('\n');
            }
            return sb.toString();
          }
        default:
          {
            StringBuilder sb = new StringBuilder();
            for (Map<String, Object> pred : predictions) {
              sb.append(p.csvLine(pred)).append('\n');
            }
            return sb.toString();
          }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
