/** Storing and reading container output. */
package io.sagebrush.scheduler.logs.service;
