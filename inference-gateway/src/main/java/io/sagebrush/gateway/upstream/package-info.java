/**
 * The gateway's HTTP/1.1 client to model containers: keep-alive connections pooled per replica and
 * per event loop, so a request and its upstream call run on one thread without locks.
 */
package io.sagebrush.gateway.upstream;
