/** Tests of io.sagebrush.algorithms. */
package io.sagebrush.algorithms;
