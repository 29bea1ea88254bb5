package io.sagebrush.scheduler.trainingjob.domain;

/**
 * An input channel as the user gave it (already validated by the edge).
 *
 * @param name ChannelName
 * @param s3DataType S3Prefix or ManifestFile
 * @param s3Uri the S3 URI
 * @param distribution FullyReplicated (default) or ShardedByS3Key
 * @param contentType may be null
 * @param compressionType None or Gzip, may be null
 * @param recordWrapperType None or RecordIO, may be null
 * @param inputMode may be null (the job's TrainingInputMode applies)
 */
public record Channel(
    String name,
    String s3DataType,
    String s3Uri,
    String distribution,
    String contentType,
    String compressionType,
    String recordWrapperType,
    String inputMode) {}
