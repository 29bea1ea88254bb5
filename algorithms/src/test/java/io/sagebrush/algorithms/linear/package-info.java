/** Tests of io.sagebrush.algorithms.linear. */
package io.sagebrush.algorithms.linear;
