/** SageMaker ARN building and parsing. */
package io.sagebrush.common.arn;
