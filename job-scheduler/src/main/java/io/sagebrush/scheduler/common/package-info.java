/** Small types shared by the scheduler's features: pages, sort orders and listings. */
package io.sagebrush.scheduler.common;
