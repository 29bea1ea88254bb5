/** Architecture rules checked with ArchUnit. */
package io.sagebrush.scheduler.architecture;
