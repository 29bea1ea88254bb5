package io.sagebrush.api.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The region and account Sagebrush pretends to be; they appear in every ARN.
 *
 * @param region region in ARNs and the default signing region (SAGEBRUSH_REGION)
 * @param accountId 12-digit account id in ARNs (SAGEBRUSH_ACCOUNT_ID)
 */
@Validated
@ConfigurationProperties("sagebrush.api.aws")
public record AwsIdentityProperties(
    @DefaultValue("us-east-1") @NotBlank String region,
    @DefaultValue("000000000000") @Pattern(regexp = "\\d{12}") String accountId) {}
