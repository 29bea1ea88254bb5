/** Small types shared by the scheduler's features: pages and sort orders. */
package io.sagebrush.scheduler.common;
