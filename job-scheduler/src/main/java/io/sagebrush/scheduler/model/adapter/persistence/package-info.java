/** Models and endpoint configs in PostgreSQL (sched_model, sched_endpoint_config). */
package io.sagebrush.scheduler.model.adapter.persistence;
