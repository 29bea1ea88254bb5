/**
 * S3 artifact handling for Sagebrush: {@link io.sagebrush.artifacts.S3Uri} addresses, stored-object
 * listings and the {@link io.sagebrush.artifacts.ArtifactStoreException} every S3 failure raises.
 */
package io.sagebrush.artifacts;
