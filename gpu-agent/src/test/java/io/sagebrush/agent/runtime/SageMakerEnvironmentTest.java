package io.sagebrush.agent.runtime;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SageMakerEnvironmentTest {
  private final TaskAssignment task =
      aTrainingTask("env-job")
          .withHosts(2)
          .withChannel("train", "s3://d/train/", "FullyReplicated")
          .withChannel("validation", "s3://d/val/", "ShardedByS3Key")
          .withHyperParameter("epochs", "10")
          .withHyperParameter("lr", "\"0.1\"")
          .withEnvironment("MY_VAR", "x")
          .build();

  @Test
  void hostEnvironmentCarriesSageMakerVariablesUnderTheGivenRoot() {
    HostSpec host = new HostSpec("algo-2", "s", List.of(0, 1));

    Map<String, String> env = SageMakerEnvironment.forHost(task, host, "/opt/ml", 4);

    assertThat(env)
        .containsEntry("MY_VAR", "x")
        .containsEntry("TRAINING_JOB_NAME", "env-job")
        .containsEntry("SM_MODEL_DIR", "/opt/ml/model")
        .containsEntry("SM_CHANNELS", "[\"train\",\"validation\"]")
        .containsEntry("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train")
        .containsEntry("SM_CHANNEL_VALIDATION", "/opt/ml/input/data/validation")
        .containsEntry("SM_HPS", "{\"epochs\":10,\"lr\":\"0.1\"}")
        .containsEntry("SM_HP_EPOCHS", "10")
        .containsEntry("SM_HP_LR", "\"0.1\"")
        .containsEntry("SM_HOSTS", "[\"algo-1\",\"algo-2\"]")
        .containsEntry("SM_CURRENT_HOST", "algo-2")
        .containsEntry("SM_NUM_CPUS", "4")
        .containsEntry("SM_NUM_GPUS", "2")
        .containsEntry("SM_OUTPUT_DATA_DIR", "/opt/ml/output/data")
        .containsEntry("SM_INPUT_DIR", "/opt/ml/input")
        .containsEntry("SM_INPUT_CONFIG_DIR", "/opt/ml/input/config")
        .containsEntry("SM_OUTPUT_DIR", "/opt/ml/output")
        .containsKey("SM_RESOURCE_CONFIG")
        .containsKey("SM_INPUT_DATA_CONFIG");
  }

  @Test
  void resourceConfigNamesEveryHostAndTheCurrentOne() {
    String json =
        SageMakerEnvironment.json(SageMakerEnvironment.resourceConfig(task, task.hosts().get(0)));

    assertThat(json)
        .isEqualTo(
            "{\"current_host\":\"algo-1\",\"current_instance_type\":\"ml.m5.large\","
                + "\"current_group_name\":\"homogeneousCluster\",\"hosts\":[\"algo-1\",\"algo-2\"],"
                + "\"instance_groups\":[{\"instance_group_name\":\"homogeneousCluster\","
                + "\"instance_type\":\"ml.m5.large\",\"hosts\":[\"algo-1\",\"algo-2\"]}],"
                + "\"network_interface_name\":\"eth0\"}");
  }

  @Test
  void inputDataConfigDescribesEachChannel() {
    assertThat(SageMakerEnvironment.json(SageMakerEnvironment.inputDataConfig(task)))
        .isEqualTo(
            "{\"train\":{\"TrainingInputMode\":\"File\",\"S3DistributionType\":\"FullyReplicated\","
                + "\"RecordWrapperType\":\"None\"},\"validation\":{\"TrainingInputMode\":\"File\","
                + "\"S3DistributionType\":\"ShardedByS3Key\",\"RecordWrapperType\":\"None\"}}");
  }

  @Test
  void valuesThatAreNotJsonStayStrings() {
    assertThat(SageMakerEnvironment.decode("abc")).isEqualTo("abc");
    assertThat(SageMakerEnvironment.decode("\"abc\"")).isEqualTo("abc");
    assertThat(SageMakerEnvironment.decode("3")).isEqualTo(3);
    assertThat(SageMakerEnvironment.decode("True")).isEqualTo("True");
  }
}
