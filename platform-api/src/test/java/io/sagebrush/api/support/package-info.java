/** Test helpers: embedded test homes, signed raw HTTP, botocore model checks, request bodies. */
package io.sagebrush.api.support;
