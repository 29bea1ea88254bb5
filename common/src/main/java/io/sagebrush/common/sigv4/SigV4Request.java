package io.sagebrush.common.sigv4;

import java.util.List;
import java.util.function.Function;

/**
 * What SigV4 verification needs of an HTTP request.
 *
 * @param method HTTP method
 * @param rawPath the path as received (percent-encoded once)
 * @param rawQuery the query string as received, or null
 * @param headers all values of a header by case-insensitive name (empty list or null when absent)
 * @param body the body bytes; may be null when the caller passes the payload hash to {@link
 *     SigV4Verifier#verify(SigV4Request, String)}
 */
public record SigV4Request(
    String method,
    String rawPath,
    String rawQuery,
    Function<String, List<String>> headers,
    byte[] body) {

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.apply(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
