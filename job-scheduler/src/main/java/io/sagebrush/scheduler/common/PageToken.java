package io.sagebrush.scheduler.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * Opaque, stable paging tokens: base64url of a version, the offset of the next item and a
 * fingerprint of the query, so a token is refused for a different query.
 */
public final class PageToken {
  private PageToken() {}

  /** The token for the page starting at {@code offset} of the query with this fingerprint. */
  public static String encode(long offset, String fingerprint) {
    String raw = "v1:" + offset + ":" + Integer.toHexString(fingerprint.hashCode());
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The offset in a token, or empty when the token is malformed or for another query. */
  public static OptionalLong decode(String token, String fingerprint) {
    if (token == null) {
      return OptionalLong.of(0);
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split(":", -1);
      if (parts.length != 3
          || !parts[0].equals("v1")
          || !parts[2].equals(Integer.toHexString(fingerprint.hashCode()))) {
        return OptionalLong.empty();
      }
      long offset = Long.parseLong(parts[1]);
      return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    } catch (IllegalArgumentException e) {
      return OptionalLong.empty();
    }
  }
}
