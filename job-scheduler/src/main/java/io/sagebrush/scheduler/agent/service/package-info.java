/** Agent registration, heartbeats, task hand-out and task observations. */
package io.sagebrush.scheduler.agent.service;
