/**
 * Where requests go: the routing table a gateway follows, compiled into a lock-free snapshot with
 * weighted variant choice and least-outstanding replica choice.
 */
package io.sagebrush.gateway.routing;
