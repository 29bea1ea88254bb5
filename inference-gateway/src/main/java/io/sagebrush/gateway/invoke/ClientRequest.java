package io.sagebrush.gateway.invoke;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.sagebrush.common.sigv4.SigV4Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's request as {@link ClientRequestDecoder} read it: the request line, the head's bytes
 * with the position of each header, and the whole body. Header names and values stay bytes until
 * asked for: a request carries a dozen headers and the gateway reads about half of them.
 *
 * <p>Counts references for its body ({@link #content()}), so that whoever drops a request, such as
 * a connection that closes with requests still queued, frees the body with it.
 */
final class ClientRequest implements ReferenceCounted, SigV4Request.RawHeaders {
  private final String method;
  private final String uri;
  private final boolean http10;
  private final boolean keepAlive;
  private final byte[] head;

  /** Per header: name start, name end, value start, value end (offsets into {@link #head}). */
  private final int[] fields;

  private final int headerCount;
  private final ByteBuf content;

  ClientRequest(
      String method,
      String uri,
      boolean http10,
      boolean keepAlive,
      byte[] head,
      int[] fields,
      int headerCount,
      ByteBuf content) {
    this.method = method;
    this.uri = uri;
    this.http10 = http10;
    this.keepAlive = keepAlive;
    this.head = head;
    this.fields = fields;
    this.headerCount = headerCount;
    this.content = content;
  }

  String method() {
    return method;
  }

  /** The request target as sent (path and query). */
  String uri() {
    return uri;
  }

  boolean http10() {
    return http10;
  }

  /** Whether the connection stays open after the answer (HTTP/1.1 unless close; 1.0 if asked). */
  boolean keepAlive() {
    return keepAlive;
  }

  ByteBuf content() {
    return content;
  }

  @Override
  public int refCnt() {
    return content.refCnt();
  }

  @Override
  public ClientRequest retain() {
    content.retain();
    return this;
  }

  @Override
  public ClientRequest retain(int increment) {
    content.retain(increment);
    return this;
  }

  @Override
  public ClientRequest touch() {
    content.touch();
    return this;
  }

  @Override
  public ClientRequest touch(Object hint) {
    content.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return content.release();
  }

  @Override
  public boolean release(int decrement) {
    return content.release(decrement);
  }

  @Override
  public int headerCount() {
    return headerCount;
  }

  @Override
  public byte[] headBytes() {
    return head;
  }

  @Override
  public int valueStart(int i) {
    return fields[4 * i + 2];
  }

  @Override
  public int valueEnd(int i) {
    return fields[4 * i + 3];
  }

  /** Whether header {@code i}'s name is {@code name}, ignoring ASCII case. */
  @Override
  public boolean nameIs(int i, CharSequence name) {
    int start = fields[4 * i];
    int length = fields[4 * i + 1] - start;
    if (length != name.length()) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (lower(head[start + k]) != lower(name.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /** Header {@code i}'s value, leading and trailing blanks removed. */
  String value(int i) {
    int start = fields[4 * i + 2];
    return new String(head, start, fields[4 * i + 3] - start, StandardCharsets.ISO_8859_1);
  }

  /** The first value of a header, or null. */
  String header(CharSequence name) {
    for (int i = 0; i < headerCount; i++) {
      if (nameIs(i, name)) {
        return value(i);
      }
    }
    return null;
  }

  /** All values of a header in order (an empty list when absent). */
  List<String> all(String name) {
    String first = null;
    List<String> more = null;
    for (int i = 0; i < headerCount; i++) {
      if (nameIs(i, name)) {
        if (first == null) {
          first = value(i);
        } else {
          if (more == null) {
            more = new ArrayList<>(4);
            more.add(first);
          }
          more.add(value(i));
        }
      }
    }
    return more != null ? more : first != null ? List.of(first) : List.of();
  }

  private static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c & 0xff;
  }

  /** For messages and logs: the method, the target and the header names. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(method).append(' ').append(uri);
    for (int i = 0; i < headerCount; i++) {
      sb.append(i == 0 ? " [" : ", ")
          .append(
              new String(
                  head,
                  fields[4 * i],
                  fields[4 * i + 1] - fields[4 * i],
                  StandardCharsets.ISO_8859_1));
    }
    return headerCount > 0 ? sb.append(']').toString() : sb.toString();
  }
}
