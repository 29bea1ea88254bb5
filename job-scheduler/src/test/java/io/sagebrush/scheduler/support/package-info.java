/** Test support: embedded PostgreSQL, a mutable clock and the test Spring application. */
package io.sagebrush.scheduler.support;
