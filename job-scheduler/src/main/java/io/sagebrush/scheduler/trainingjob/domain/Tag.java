package io.sagebrush.scheduler.trainingjob.domain;

/** A resource tag. */
public record Tag(String key, String value) {}
