package io.sagebrush.it;

import static io.sagebrush.it.support.TrainingJobs.BUCKET;
import static io.sagebrush.it.support.TrainingJobs.aChannel;
import static io.sagebrush.it.support.TrainingJobs.awaitEnded;
import static io.sagebrush.it.support.TrainingJobs.download;
import static io.sagebrush.it.support.TrainingJobs.ensureBucket;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static io.sagebrush.it.support.TrainingJobs.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.it.support.Archives;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.TrainingJobs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/** Script mode on the process runtime: the job's train.py runs under the local python3. */
class ProcessRuntimeScriptModeIT {
  private static final String TRAIN_PY =
      """
      import argparse, json, os, sys

      parser = argparse.ArgumentParser()
      parser.add_argument("--learning_rate", type=float)
      parser.add_argument("--optimizer")
      args, _ = parser.parse_known_args()

      train_dir = os.environ["SM_CHANNEL_TRAIN"]
      lines = 0
      for root, _, files in os.walk(train_dir):
          for f in files:
              with open(os.path.join(root, f)) as fh:
                  lines += sum(1 for _ in fh)

      print("loss=0.25")
      with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.json"), "w") as out:
          json.dump({"learning_rate": args.learning_rate, "optimizer": args.optimizer,
                     "lines": lines, "argv": sys.argv[1:]}, out)
      """;

  private static SagebrushServerProcess server;
  private static AwsClients clients;

  @BeforeAll
  static void startProcessRuntimeServer() {
    server = SagebrushServerProcess.start("process", Map.of("SAGEBRUSH_RUNTIME", "process"));
    clients = server.clients();
  }

  @AfterAll
  static void stop() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void scriptModeJobRunsTrainPyWithHyperparametersAsArguments() throws Exception {
    String name = uniqueName("script");
    ensureBucket(clients.s3(), BUCKET);
    clients
        .s3()
        .putObject(
            b -> b.bucket(BUCKET).key(name + "/code/sourcedir.tar.gz"),
            RequestBody.fromBytes(Archives.tarGz(Map.of("train.py", TRAIN_PY))));
    String train =
        upload(clients.s3(), BUCKET, name + "/train", Map.of("data.csv", "1\n2\n3\n4\n"));

    clients
        .sageMaker()
        .createTrainingJob(
            TrainingJobs.aTrainerJob(
                    name,
                    Map.of(
                        "sagemaker_program", "train.py",
                        "sagemaker_submit_directory",
                            "s3://" + BUCKET + "/" + name + "/code/sourcedir.tar.gz",
                        "learning_rate", "0.1",
                        "optimizer", "\"adam\""))
                .algorithmSpecification(
                    AlgorithmSpecification.builder()
                        .trainingImage("sagebrush/python:3")
                        .trainingInputMode(TrainingInputMode.FILE)
                        .metricDefinitions(
                            MetricDefinition.builder().name("loss").regex("loss=([0-9.]+)").build())
                        .build())
                .inputDataConfig(aChannel("train", train))
                .build());

    DescribeTrainingJobResponse job =
        awaitEnded(clients.sageMaker(), name, Duration.ofSeconds(180));

    assertThat(job.trainingJobStatus())
        .as("failure: %s", job.failureReason())
        .isEqualTo(TrainingJobStatus.COMPLETED);
    Map<String, String> model =
        Archives.untarGz(download(clients.s3(), job.modelArtifacts().s3ModelArtifacts()));
    JsonNode written = new ObjectMapper().readTree(model.get("model.json"));
    assertThat(written.path("learning_rate").asDouble()).isEqualTo(0.1);
    assertThat(written.path("optimizer").asText()).isEqualTo("adam");
    assertThat(written.path("lines").asInt()).isEqualTo(4);
    assertThat(written.path("argv").toString())
        .contains("--learning_rate")
        .doesNotContain("sagemaker_program");
    assertThat(job.finalMetricDataList())
        .singleElement()
        .satisfies(m -> assertThat(m.value()).isEqualTo(0.25f));
  }
}
