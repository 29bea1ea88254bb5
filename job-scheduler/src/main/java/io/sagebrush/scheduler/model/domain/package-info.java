/** SageMaker models and endpoint configurations: what the Create operations store. */
package io.sagebrush.scheduler.model.domain;
