package io.sagebrush.scheduler.placement.domain;

import java.util.regex.Pattern;

/**
 * Recognises the images of SageMaker's built-in algorithms, which agents with the process runtime
 * run without docker: {@code
 * <account>.dkr.ecr.<region>.amazonaws.com[.cn]/sagemaker-xgboost:<tag>}, {@code .../xgboost},
 * {@code .../linear-learner}, {@code .../kmeans} (any account and region, optional tag and digest)
 * and the local aliases {@code sagebrush/xgboost}, {@code sagebrush/linear-learner}, {@code
 * sagebrush/kmeans}. The same rule as the agent's own {@code BuiltInImages} (gpu-agent), which the
 * scheduler does not depend on.
 */
public final class BuiltInImages {
  private static final String TAG =
      "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?";
  private static final Pattern ECR =
      Pattern.compile(
          "^\\d{12}\\.dkr\\.ecr(?:-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(?:\\.cn)?/"
              + "(?:sagemaker-xgboost|xgboost|linear-learner|kmeans)"
              + TAG
              + "$");
  private static final Pattern ALIAS =
      Pattern.compile("^sagebrush/(?:xgboost|linear-learner|kmeans)" + TAG + "$");

  private BuiltInImages() {}

  /** True for a built-in algorithm's image (the process runtime can serve it). */
  public static boolean isBuiltIn(String image) {
    if (image == null) {
      return false;
    }
    String trimmed = image.trim();
    return ECR.matcher(trimmed).matches() || ALIAS.matcher(trimmed).matches();
  }
}
