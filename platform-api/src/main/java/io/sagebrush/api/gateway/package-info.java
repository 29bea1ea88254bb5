/** Runs the inference gateway inside the server and reports its health. */
package io.sagebrush.api.gateway;
