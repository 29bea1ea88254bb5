package io.sagebrush.algorithms.container;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parsing of media types with parameters ({@code text/csv;label_size=0}). */
public final class ContentTypes {
  private ContentTypes() {}

  /** The media type without parameters, lower-cased; empty for null or blank. */
  public static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return "";
    }
    return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  /** The {@code key=value} parameters, keys lower-cased, values unquoted. */
  public static Map<String, String> parameters(String contentType) {
    Map<String, String> params = new LinkedHashMap<>();
    if (contentType == null) {
      return params;
    }
    String[] parts = contentType.split(";");
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length == 2) {
        params.put(kv[0].trim().toLowerCase(Locale.ROOT), kv[1].trim().replaceAll("^\"|\"$", ""));
      }
    }
    return params;
  }
}
