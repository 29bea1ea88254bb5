/**
 * Runs one task as ordered stages (resolve image, download inputs, write config, run containers,
 * upload outputs) and reports what it observes; enforces stop orders and the maximum runtime.
 */
package io.sagebrush.agent.execution;
