package io.sagebrush.artifacts;

/**
 * One object found by a listing.
 *
 * @param uri where the object lives
 * @param size its size in bytes
 */
public record StoredObject(S3Uri uri, long size) {}
