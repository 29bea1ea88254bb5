/**
 * K-Means as SageMaker's built-in: streaming mini-batch k-means over {@code k *
 * extra_center_factor} centres, a local Lloyd's reduction to {@code k}, and (Sagebrush's addition)
 * Lloyd refinement on the full data. The model file {@code model_algo-1} is JSON: {@code
 * {"algorithm":"kmeans","version":1,"feature_dim":d,"k":k,"centroids":[[...],...]}}.
 */
package io.sagebrush.algorithms.kmeans;
