package io.sagebrush.protocol;

/**
 * What a serving task serves. The task's {@link TaskAssignment#image()} is the container image (or
 * a built-in alias/ECR URI), {@link TaskAssignment#environment()} the model's Environment plus the
 * platform's, {@link TaskAssignment#hosts()} one host whose log stream is the replica's ({@code
 * <variant>/<replica-id>} in group {@code /aws/sagemaker/Endpoints/<endpoint>}).
 *
 * @param endpointName the endpoint the replica belongs to
 * @param variantName the production variant
 * @param modelName the SageMaker model
 * @param modelDataUrl S3 URI of {@code model.tar.gz} (unpacked into {@code /opt/ml/model}), or an
 *     S3 prefix whose objects are copied as they are; null when the model has no artifact
 * @param downloadTimeoutSeconds budget for downloading and unpacking the artifact
 * @param startupTimeoutSeconds budget from container start to the first {@code /ping} 200
 * @param containerPort the port the container listens on ({@code 8080} by the SageMaker contract;
 *     also passed as {@code SAGEMAKER_BIND_TO_PORT})
 */
public record ServingSpec(
    String endpointName,
    String variantName,
    String modelName,
    String modelDataUrl,
    long downloadTimeoutSeconds,
    long startupTimeoutSeconds,
    int containerPort) {}
