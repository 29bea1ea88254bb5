package io.sagebrush.agent.runtime.adapter.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltInImagesTest {
  @ParameterizedTest
  @CsvSource({
    "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1, xgboost",
    "246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:3.0-5, xgboost",
    "811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:1, xgboost",
    "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1, linear-learner",
    "438346466558.dkr.ecr.eu-west-1.amazonaws.com/kmeans:1, kmeans",
    "390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/kmeans:1, kmeans",
    "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:latest, linear-learner",
    "sagebrush/xgboost, xgboost",
    "sagebrush/linear-learner:1, linear-learner",
    "sagebrush/kmeans:latest, kmeans"
  })
  void recognisesBuiltInImages(String image, String algorithm) {
    assertThat(BuiltInImages.algorithmOf(image)).contains(algorithm);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "my/trainer:1",
        "sagebrush/algorithms:1",
        "sagebrush/sagemaker-xgboost:1.7-1",
        "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-pytorch:2.0",
        "683313688378.dkr.ecr.us-east-1.amazonaws.com/team/xgboost:1",
        "docker.io/library/xgboost:1",
        "evil.example.com/683313688378.dkr.ecr.us-east-1.amazonaws.com/kmeans:1",
        "1234.dkr.ecr.us-east-1.amazonaws.com/kmeans:1",
        ""
      })
  void leavesOtherImagesAlone(String image) {
    assertThat(BuiltInImages.algorithmOf(image)).isEmpty();
  }

  @Test
  void nullIsNoBuiltIn() {
    assertThat(BuiltInImages.algorithmOf(null)).isEmpty();
  }
}
