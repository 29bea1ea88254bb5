/**
 * Leadership among control-plane replicas sharing one database (a PostgreSQL advisory lock) and the
 * leader-only background loops.
 */
package io.sagebrush.scheduler.leader;
