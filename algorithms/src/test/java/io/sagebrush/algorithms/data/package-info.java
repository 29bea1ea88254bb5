/** Tests of io.sagebrush.algorithms.data. */
package io.sagebrush.algorithms.data;
