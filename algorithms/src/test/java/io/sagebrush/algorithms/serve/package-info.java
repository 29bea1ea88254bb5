/** Tests of io.sagebrush.algorithms.serve. */
package io.sagebrush.algorithms.serve;
