/** Tests of io.sagebrush.algorithms.container. */
package io.sagebrush.algorithms.container;
