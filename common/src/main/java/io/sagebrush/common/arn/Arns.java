package io.sagebrush.common.arn;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds and parses SageMaker ARNs for one region and account. As on the real service, the name
 * part is lower-cased, so names are unique regardless of case.
 */
public final class Arns {
  private static final Pattern SAGEMAKER_ARN =
      Pattern.compile("arn:aws[a-z\\-]*:sagemaker:([a-z0-9\\-]+):(\\d{12}):([a-z\\-]+)/(.+)");

  private final String region;
  private final String accountId;

  public Arns(String region, String accountId) {
    this.region = Objects.requireNonNull(region);
    this.accountId = Objects.requireNonNull(accountId);
  }

  public String region() {
    return region;
  }

  public String accountId() {
    return accountId;
  }

  /** {@code arn:aws:sagemaker:<region>:<account>:<type>/<lower-cased name>}. */
  public String of(String resourceType, String name) {
    return "arn:aws:sagemaker:"
        + region
        + ":"
        + accountId
        + ":"
        + resourceType
        + "/"
        + name.toLowerCase(Locale.ROOT);
  }

  public String trainingJob(String name) {
    return of("training-job", name);
  }

  public String processingJob(String name) {
    return of("processing-job", name);
  }

  public String transformJob(String name) {
    return of("transform-job", name);
  }

  public String model(String name) {
    return of("model", name);
  }

  public String endpointConfig(String name) {
    return of("endpoint-config", name);
  }

  public String endpoint(String name) {
    return of("endpoint", name);
  }

  /** Splits a SageMaker ARN into its resource type and name; empty when it is not one. */
  public static Optional<Parsed> parse(String arn) {
    if (arn == null) {
      return Optional.empty();
    }
    Matcher m = SAGEMAKER_ARN.matcher(arn);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(m.group(1), m.group(2), m.group(3), m.group(4)));
  }

  /** The parts of a SageMaker ARN. */
  public record Parsed(String region, String accountId, String resourceType, String name) {}
}
