/** Tests of the runtime port's shared parts. */
package io.sagebrush.agent.runtime;
