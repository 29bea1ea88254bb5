/**
 * Sagebrush's built-in algorithms (XGBoost, Linear Learner, K-Means) as one program that follows
 * the SageMaker container contract: {@code train} reads {@code /opt/ml/input} and writes {@code
 * /opt/ml/model}, {@code serve} answers {@code /ping} and {@code /invocations} on port 8080.
 */
package io.sagebrush.algorithms;
