/**
 * SageMaker training-job operations on the wire: PascalCase records, validation and mapping to the
 * scheduler.
 */
package io.sagebrush.api.trainingjob;
