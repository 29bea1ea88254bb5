/** Endpoints, their fleets and serving replicas, and the routing table version in PostgreSQL. */
package io.sagebrush.scheduler.endpoint.adapter.persistence;
