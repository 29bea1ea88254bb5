/** The model and endpoint-config operations of the SageMaker API, behind the edge. */
package io.sagebrush.scheduler.model.service;
