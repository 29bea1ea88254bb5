/** Test fixtures: task builders, a real embedded S3 server and a fake control plane. */
package io.sagebrush.agent.testing;
