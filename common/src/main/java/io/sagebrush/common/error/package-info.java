/** The error codes and the exception every Sagebrush edge maps to the AWS error shape. */
package io.sagebrush.common.error;
