package io.sagebrush.artifacts;

import io.sagebrush.common.error.SagebrushException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/key} address. The key may be empty (the whole bucket) and may end with
 * {@code /} (a prefix). Bucket names follow the S3 rules for new buckets: 3 to 63 characters of
 * lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, no
 * {@code ..}, and not shaped like an IP address. Keys are at most 1024 UTF-8 bytes.
 *
 * @param bucket the bucket name
 * @param key the object key or prefix, never null (empty for the bucket itself)
 */
public record S3Uri(String bucket, String key) {
  private static final String SCHEME = "s3://";
  private static final int MAX_KEY_BYTES = 1024;
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * Checks the parts.
   *
   * @throws SagebrushException a validation error naming the bucket or key at fault
   */
  public S3Uri {
    key = key == null ? "" : key;
    String problem = bucketProblem(bucket);
    if (problem != null) {
      throw SagebrushException.validation(
          "Invalid S3 bucket name '"
              + bucket
              + "' in "
              + SCHEME
              + bucket
              + "/"
              + key
              + ": "
              + problem);
    }
    problem = keyProblem(key);
    if (problem != null) {
      throw SagebrushException.validation(
          "Invalid S3 key in " + SCHEME + bucket + "/" + key + ": " + problem);
    }
  }

  /**
   * Parses {@code s3://bucket}, {@code s3://bucket/} or {@code s3://bucket/key...}.
   *
   * @param uri the text to parse
   * @return the parsed address
   * @throws SagebrushException a validation error naming the URI when it is not a valid S3 URI
   */
  public static S3Uri parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw SagebrushException.validation("Invalid S3 URI '" + uri + "': must not be empty");
    }
    if (!uri.startsWith(SCHEME)) {
      throw SagebrushException.validation(
          "Invalid S3 URI '" + uri + "': must have the form s3://bucket/key");
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    String problem = bucketProblem(bucket);
    if (problem == null) {
      problem = keyProblem(key);
    }
    if (problem != null) {
      throw SagebrushException.validation("Invalid S3 URI '" + uri + "': " + problem);
    }
    return new S3Uri(bucket, key);
  }

  /** True when {@code text} is a valid S3 URI; never throws. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (SagebrushException e) {
      return false;
    }
  }

  /**
   * Joins {@code child} onto this key with exactly one {@code /} between them ({@code
   * s3://b/p}.resolve("x") and {@code s3://b/p/}.resolve("/x") both give {@code s3://b/p/x}). An
   * empty child returns this address unchanged.
   */
  public S3Uri resolve(String child) {
    if (child == null || child.isEmpty()) {
      return this;
    }
    String c = child.startsWith("/") ? child.substring(1) : child;
    if (key.isEmpty()) {
      return new S3Uri(bucket, c);
    }
    return new S3Uri(bucket, key.endsWith("/") ? key + c : key + "/" + c);
  }

  /** The same address with a trailing {@code /} on a non-empty key, for use as a prefix. */
  public S3Uri asPrefix() {
    return key.isEmpty() || key.endsWith("/") ? this : new S3Uri(bucket, key + "/");
  }

  /** The last non-empty segment of the key, or the bucket name when the key is empty. */
  public String fileName() {
    String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    if (k.isEmpty()) {
      return bucket;
    }
    return k.substring(k.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return SCHEME + bucket + "/" + key;
  }

  private static String bucketProblem(String bucket) {
    if (bucket == null || bucket.isEmpty()) {
      return "the bucket name is missing";
    }
    if (bucket.length() < 3 || bucket.length() > 63) {
      return "the bucket name must be 3 to 63 characters long";
    }
    if (!BUCKET.matcher(bucket).matches()) {
      return "the bucket name may contain only lower-case letters, digits, '.' and '-', and must"
          + " start and end with a letter or digit";
    }
    if (bucket.contains("..") || bucket.contains(".-") || bucket.contains("-.")) {
      return "the bucket name must not contain '..', '.-' or '-.'";
    }
    if (IP_ADDRESS.matcher(bucket).matches()) {
      return "the bucket name must not be formatted as an IP address";
    }
    return null;
  }

  private static String keyProblem(String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return "the key is longer than " + MAX_KEY_BYTES + " bytes";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "the key contains a control character";
      }
    }
    return null;
  }
}
