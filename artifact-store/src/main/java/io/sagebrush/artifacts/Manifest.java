package io.sagebrush.artifacts;

import java.util.List;

/**
 * A SageMaker manifest file: a JSON array whose first element is {@code {"prefix":
 * "s3://bucket/prefix/"}} and whose other elements are key suffixes. Each object's key is the
 * prefix's key followed directly by the suffix, as SageMaker concatenates them.
 *
 * @param prefix the common prefix
 * @param suffixes the entries after the prefix element, in file order
 */
public record Manifest(S3Uri prefix, List<String> suffixes) {
  public Manifest {
    suffixes = List.copyOf(suffixes);
  }

  /** The objects the manifest names, in file order. */
  public List<S3Uri> objects() {
    return suffixes.stream().map(s -> new S3Uri(prefix.bucket(), prefix.key() + s)).toList();
  }
}
