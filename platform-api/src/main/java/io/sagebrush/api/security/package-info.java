/** Authentication of every request: SigV4, HTTP Basic for REST, the agent bearer token. */
package io.sagebrush.api.security;
