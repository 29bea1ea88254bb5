package io.sagebrush.api.support;

/** Prose-named request bodies for tests. */
public final class TrainingJobs {
  private TrainingJobs() {}

  /** A valid CreateTrainingJob body for {@code name}. */
  public static String aCreateRequest(String name) {
    return """
        {"TrainingJobName":"%s",
         "RoleArn":"arn:aws:iam::000000000000:role/sagebrush",
         "AlgorithmSpecification":{"TrainingImage":"sagebrush-test/busybox:1","TrainingInputMode":"File",
           "MetricDefinitions":[{"Name":"loss","Regex":"loss=([0-9.]+)"}]},
         "HyperParameters":{"epochs":"2"},
         "InputDataConfig":[{"ChannelName":"train","DataSource":{"S3DataSource":
           {"S3DataType":"S3Prefix","S3Uri":"s3://data/train/"}}}],
         "OutputDataConfig":{"S3OutputPath":"s3://data/out"},
         "ResourceConfig":{"InstanceType":"ml.m5.large","InstanceCount":1,"VolumeSizeInGB":1},
         "StoppingCondition":{"MaxRuntimeInSeconds":600},
         "Environment":{"MODE":"test"},
         "Tags":[{"Key":"team","Value":"ml"}]}
        """
        .formatted(name);
  }
}
