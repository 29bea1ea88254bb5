/**
 * Packing and unpacking of {@code model.tar.gz}-style archives, refusing entries that would escape
 * the target directory.
 */
package io.sagebrush.artifacts.archive;
