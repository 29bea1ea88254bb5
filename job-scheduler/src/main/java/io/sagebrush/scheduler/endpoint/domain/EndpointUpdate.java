package io.sagebrush.scheduler.endpoint.domain;

import java.util.Set;

/**
 * A validated UpdateEndpoint request.
 *
 * @param excludedRetainedProperties VariantPropertyType values (DesiredInstanceCount,
 *     DesiredWeight, DataCaptureConfig) not retained when retainAllVariantProperties is true
 * @param deploymentPolicy the new DeploymentConfig, or null
 * @param retainDeploymentConfig keep the last DeploymentConfig when none is given
 */
public record EndpointUpdate(
    String endpointName,
    String endpointConfigName,
    boolean retainAllVariantProperties,
    Set<String> excludedRetainedProperties,
    DeploymentPolicy deploymentPolicy,
    boolean retainDeploymentConfig) {}
