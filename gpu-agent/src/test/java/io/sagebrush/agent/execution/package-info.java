/** Tests of the task stages. */
package io.sagebrush.agent.execution;
