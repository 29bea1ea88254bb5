/**
 * Linear Learner as SageMaker's built-in: regressor, binary and multiclass classifiers trained with
 * mini-batch SGD or Adam on standardised data, L1/L2 regularisation, early stopping on the
 * validation loss and threshold selection for binary classifiers. The model file {@code
 * model_algo-1} is JSON with the weights, bias, scalers and threshold.
 */
package io.sagebrush.algorithms.linear;
