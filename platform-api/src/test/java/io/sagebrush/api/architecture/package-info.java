/** Architecture rules of the server module, checked with ArchUnit. */
package io.sagebrush.api.architecture;
