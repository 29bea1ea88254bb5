/**
 * PostgreSQL persistence of training jobs, their history, tasks and final metrics (JPA entities,
 * native SQL for the queue and compare-and-set writes).
 */
package io.sagebrush.scheduler.trainingjob.adapter.persistence;
