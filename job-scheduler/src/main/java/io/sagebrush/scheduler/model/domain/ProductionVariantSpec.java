package io.sagebrush.scheduler.model.domain;

/** What the scheduler checks of one production variant: its model and instance type. */
public record ProductionVariantSpec(
    String variantName, String modelName, int initialInstanceCount, String instanceType) {}
