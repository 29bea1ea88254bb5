/** Health indicators that make /actuator/health UP only when every part of the server is ready. */
package io.sagebrush.api.health;
