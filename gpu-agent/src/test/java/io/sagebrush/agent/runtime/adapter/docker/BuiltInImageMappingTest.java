package io.sagebrush.agent.runtime.adapter.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuiltInImageMappingTest {
  @Test
  void sageMakerBuiltInImagesRunAsTheLocalAlgorithmImages() {
    assertThat(
            DockerRuntime.localImage(
                "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"))
        .isEqualTo("sagebrush/xgboost:1");
    assertThat(DockerRuntime.localImage("382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1"))
        .isEqualTo("sagebrush/kmeans:1");
    assertThat(DockerRuntime.localImage("sagebrush/linear-learner"))
        .isEqualTo("sagebrush/linear-learner:1");
  }

  @Test
  void otherImagesRunAsNamed() {
    assertThat(DockerRuntime.localImage("sagebrush-test/busybox:1"))
        .isEqualTo("sagebrush-test/busybox:1");
  }
}
