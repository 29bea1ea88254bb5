package io.sagebrush.protocol;

/**
 * An input channel, downloaded to {@code /opt/ml/input/data/<name>}.
 *
 * @param name channel name
 * @param s3DataType {@code S3Prefix} or {@code ManifestFile}
 * @param s3Uri the prefix or manifest object
 * @param distribution {@code FullyReplicated} or {@code ShardedByS3Key}
 * @param contentType may be null
 * @param compressionType {@code None} or {@code Gzip}, may be null
 * @param recordWrapperType {@code None} or {@code RecordIO}, may be null
 * @param inputMode {@code File}, {@code Pipe} or {@code FastFile} (the job's mode if the channel
 *     sets none)
 */
public record ChannelSpec(
    String name,
    String s3DataType,
    String s3Uri,
    String distribution,
    String contentType,
    String compressionType,
    String recordWrapperType,
    String inputMode) {}
