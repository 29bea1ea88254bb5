/** The placer: claims queued jobs and reserves agent capacity for them. */
package io.sagebrush.scheduler.placement.service;
