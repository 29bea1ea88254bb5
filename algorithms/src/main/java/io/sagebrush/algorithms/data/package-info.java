/**
 * Training data readers: CSV (label first or no label) and libsvm into a dense in-memory {@link
 * io.sagebrush.algorithms.data.Dataset}; errors name the file and line.
 */
package io.sagebrush.algorithms.data;
