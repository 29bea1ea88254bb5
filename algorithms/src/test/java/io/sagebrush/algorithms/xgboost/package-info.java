/** Tests of io.sagebrush.algorithms.xgboost. */
package io.sagebrush.algorithms.xgboost;
