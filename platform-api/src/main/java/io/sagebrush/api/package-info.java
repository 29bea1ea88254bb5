/** The Sagebrush server application: a thin Spring Boot main class over the edges below. */
package io.sagebrush.api;
