/**
 * XGBoost in SageMaker's algorithm mode on xgboost4j: hyperparameters validated as the
 * sagemaker-xgboost-container 1.7 does, {@code train}/{@code validation} channels in {@code
 * text/csv} or {@code text/libsvm}, per-round metric lines with {@code #011} separators, and the
 * model saved as {@code xgboost-model} (XGBoost JSON) for Python's {@code xgboost} to load.
 */
package io.sagebrush.algorithms.xgboost;
