package io.sagebrush.agent.runtime.adapter.process;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the images of SageMaker's built-in algorithms: {@code
 * <account>.dkr.ecr.<region>.amazonaws.com[.cn]/sagemaker-xgboost:<tag>}, {@code
 * .../xgboost:<tag>}, {@code .../linear-learner:<tag>}, {@code .../kmeans:<tag>} (any account and
 * region, optional digest) and the local aliases {@code sagebrush/xgboost}, {@code
 * sagebrush/linear-learner}, {@code sagebrush/kmeans} with or without a tag.
 */
public final class BuiltInImages {
  private static final String TAG =
      "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?";
  private static final Pattern ECR =
      Pattern.compile(
          "^\\d{12}\\.dkr\\.ecr(?:-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(?:\\.cn)?/"
              + "(sagemaker-xgboost|xgboost|linear-learner|kmeans)"
              + TAG
              + "$");
  private static final Pattern ALIAS =
      Pattern.compile("^sagebrush/(xgboost|linear-learner|kmeans)" + TAG + "$");

  private BuiltInImages() {}

  /**
   * The algorithm an image stands for: {@code xgboost}, {@code linear-learner} or {@code kmeans};
   * empty for any other image.
   */
  public static Optional<String> algorithmOf(String image) {
    if (image == null) {
      return Optional.empty();
    }
    String trimmed = image.trim();
    for (Pattern p : new Pattern[] {ECR, ALIAS}) {
      Matcher m = p.matcher(trimmed);
      if (m.matches()) {
        String repo = m.group(1);
        return Optional.of(repo.equals("sagemaker-xgboost") ? "xgboost" : repo);
      }
    }
    return Optional.empty();
  }
}
