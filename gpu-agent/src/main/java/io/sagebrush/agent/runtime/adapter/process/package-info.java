/**
 * The process runtime: runs a task's single host as a local process with the {@code /opt/ml} layout
 * under the job directory; used for script mode and built-in algorithms.
 */
package io.sagebrush.agent.runtime.adapter.process;
