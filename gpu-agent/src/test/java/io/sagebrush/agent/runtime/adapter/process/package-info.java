/** Tests of the process runtime. */
package io.sagebrush.agent.runtime.adapter.process;
