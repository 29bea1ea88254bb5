/** Spring wiring of the scheduler: typed properties and the beans the platform calls. */
package io.sagebrush.scheduler.config;
