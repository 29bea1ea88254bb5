/**
 * AWS Signature Version 4 header verification, shared by every edge that checks signatures (the
 * control plane's servlet filter and the inference gateway); free of servlet and Netty types.
 */
package io.sagebrush.common.sigv4;
