/**
 * Typed configuration of the server and the beans every module shares (clock, ARNs, storage
 * settings).
 */
package io.sagebrush.api.config;
