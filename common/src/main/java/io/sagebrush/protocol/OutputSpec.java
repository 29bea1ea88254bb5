package io.sagebrush.protocol;

/**
 * Where outputs go.
 *
 * @param modelArtifactUri {@code <S3OutputPath>/<job>/output/model.tar.gz}
 * @param outputDataUri {@code <S3OutputPath>/<job>/output/output.tar.gz}
 * @param compressed false when the job asked for {@code CompressionType=NONE}: files are then
 *     uploaded one by one under {@code <S3OutputPath>/<job>/output/model/}
 */
public record OutputSpec(String modelArtifactUri, String outputDataUri, boolean compressed) {}
