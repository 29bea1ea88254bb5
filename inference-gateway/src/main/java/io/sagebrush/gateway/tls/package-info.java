/** The gateway's TLS: the served certificate, given as PEM or PKCS#12, or generated once. */
package io.sagebrush.gateway.tls;
