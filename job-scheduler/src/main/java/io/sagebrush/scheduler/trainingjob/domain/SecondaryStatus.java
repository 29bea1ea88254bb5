package io.sagebrush.scheduler.trainingjob.domain;

/** SageMaker's SecondaryStatus values that Sagebrush uses, spelled as on the wire. */
public enum SecondaryStatus {
  Starting,
  Pending,
  Downloading,
  DownloadingTrainingImage,
  Training,
  Uploading,
  Stopping,
  Stopped,
  MaxRuntimeExceeded,
  Completed,
  Failed
}
