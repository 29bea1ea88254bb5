/** Tests of io.sagebrush.algorithms.kmeans. */
package io.sagebrush.algorithms.kmeans;
