package io.sagebrush.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The REST API.
 *
 * @param logPollInterval how often a following log stream looks for new events
 * @param logFollowTimeout the longest a followed log stream stays open
 */
@ConfigurationProperties("sagebrush.api.rest")
public record RestProperties(
    @DefaultValue("500ms") Duration logPollInterval,
    @DefaultValue("6h") Duration logFollowTimeout) {}
