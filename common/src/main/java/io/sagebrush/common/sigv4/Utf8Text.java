package io.sagebrush.common.sigv4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer of UTF-8 text, written straight as bytes: the canonical request and the string
 * to sign are hashed as bytes, so they are built as bytes. ASCII, nearly all of what a signed
 * request holds, is copied a byte per character; anything else is encoded on the way in.
 */
final class Utf8Text {
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int length;

  Utf8Text(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  void clear() {
    length = 0;
  }

  /** The buffer; the text is its first {@link #length()} bytes. */
  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  Utf8Text append(char c) {
    if (c >= 0x80) {
      return append(String.valueOf(c));
    }
    ensure(1);
    bytes[length++] = (byte) c;
    return this;
  }

  Utf8Text append(String s) {
    return append(s, 0, s.length());
  }

  /** Appends {@code s[start, end)}. */
  Utf8Text append(String s, int start, int end) {
    ensure(end - start);
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
        return this;
      }
      bytes[length++] = (byte) c;
    }
    return this;
  }

  /**
   * Appends ISO-8859-1 text given as bytes: ASCII as it is, every other byte as the two UTF-8 bytes
   * of its character (what {@code append(new String(src, from, to - from, ISO_8859_1))} appends).
   */
  Utf8Text appendLatin1(byte[] src, int from, int to) {
    ensure(2 * (to - from));
    for (int i = from; i < to; i++) {
      int b = src[i] & 0xff;
      if (b < 0x80) {
        bytes[length++] = (byte) b;
      } else {
        bytes[length++] = (byte) (0xc0 | (b >> 6));
        bytes[length++] = (byte) (0x80 | (b & 0x3f));
      }
    }
    return this;
  }

  /** Appends the bytes as lower-case hex. */
  Utf8Text appendHex(byte[] data) {
    ensure(2 * data.length);
    for (byte b : data) {
      bytes[length++] = HEX_DIGITS[(b >> 4) & 0xf];
      bytes[length++] = HEX_DIGITS[b & 0xf];
    }
    return this;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(length + more, 2 * bytes.length));
    }
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }
}
