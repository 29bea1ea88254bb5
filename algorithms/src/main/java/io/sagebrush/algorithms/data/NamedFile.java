package io.sagebrush.algorithms.data;

import java.nio.file.Path;

/**
 * A data file and the name error messages use for it ({@code train/part-0.csv}).
 *
 * @param name channel-relative name
 * @param path the file
 */
public record NamedFile(String name, Path path) {}
