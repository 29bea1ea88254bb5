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
 * @param rawHeaders the same headers as the bytes they arrived in, or null; when given, the
 *     canonical headers are built from them without making strings (their values must be what
 *     {@code headers} returns, decoded as ISO-8859-1)
 */
public record SigV4Request(
    String method,
    String rawPath,
    String rawQuery,
    Function<String, List<String>> headers,
    byte[] body,
    RawHeaders rawHeaders) {

  /** A request whose headers are only known as strings. */
  public SigV4Request(
      String method,
      String rawPath,
      String rawQuery,
      Function<String, List<String>> headers,
      byte[] body) {
    this(method, rawPath, rawQuery, headers, body, null);
  }

  /**
   * A request's headers as received: each header's name and value are ranges of one byte array, the
   * value without its leading and trailing blanks.
   */
  public interface RawHeaders {
    int headerCount();

    /** Whether header {@code i}'s name is {@code name}, ignoring ASCII case. */
    boolean nameIs(int i, CharSequence name);

    /** The array the ranges point into. */
    byte[] headBytes();

    /** Where header {@code i}'s value starts in {@link #headBytes()}. */
    int valueStart(int i);

    /** Where header {@code i}'s value ends (exclusive). */
    int valueEnd(int i);
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.apply(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
