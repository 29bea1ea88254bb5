/**
 * The S3 client adapter: the only package that imports the MinIO Java SDK. {@link
 * io.sagebrush.artifacts.adapter.s3.ArtifactStore} uploads, downloads, lists and reads manifests.
 */
package io.sagebrush.artifacts.adapter.s3;
