/**
 * The REST API under /api/v1 for curl, browsers and the console, including log following over
 * server-sent events.
 */
package io.sagebrush.api.rest;
