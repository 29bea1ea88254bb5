/** Endpoint use cases, the fleet reconciler and the routing table gateways follow. */
package io.sagebrush.scheduler.endpoint.service;
