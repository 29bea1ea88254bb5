/** The PostgreSQL log store: groups, streams with their statistics, and events by global id. */
package io.sagebrush.scheduler.logs.adapter.persistence;
