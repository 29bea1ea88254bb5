/** PostgreSQL persistence of resource tags. */
package io.sagebrush.scheduler.tag.adapter.persistence;
