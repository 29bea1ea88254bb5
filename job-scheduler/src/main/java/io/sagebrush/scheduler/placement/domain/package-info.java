/** Instance types and the pure placement math: CPU, memory (overcommittable) and GPU indices. */
package io.sagebrush.scheduler.placement.domain;
