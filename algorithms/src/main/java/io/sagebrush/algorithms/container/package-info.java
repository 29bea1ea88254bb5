/**
 * The SageMaker training container contract: the {@code /opt/ml} layout, its JSON config files,
 * typed hyperparameters and the client errors that end a job with a failure reason.
 */
package io.sagebrush.algorithms.container;
