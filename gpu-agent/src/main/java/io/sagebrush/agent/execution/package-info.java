/**
 * Runs one task as ordered stages and reports what it observes: training (resolve image, download
 * inputs, write config, run containers, upload outputs; stop orders and the maximum runtime) and
 * serving (resolve image, download the model, serve and health-check until stopped or failed).
 */
package io.sagebrush.agent.execution;
