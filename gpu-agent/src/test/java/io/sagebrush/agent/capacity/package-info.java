/** Tests of capacity discovery. */
package io.sagebrush.agent.capacity;
