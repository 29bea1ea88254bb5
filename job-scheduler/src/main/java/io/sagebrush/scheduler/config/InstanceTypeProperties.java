package io.sagebrush.scheduler.config;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Instance types beyond the built-in ml.t3/m5/m6i/c5/r5/p3/g4dn/g5/p4d defaults, e.g. {@code
 * sagebrush.scheduler.instance-types.extra[ml.local].vcpus=1}.
 *
 * @param extra extra (or overriding) types by name
 */
@ConfigurationProperties("sagebrush.scheduler.instance-types")
public record InstanceTypeProperties(@DefaultValue Map<String, Extra> extra) {

  /**
   * One extra type.
   *
   * @param vcpus vCPUs per host
   * @param memoryMb memory per host, MiB
   * @param gpus GPUs per host
   */
  public record Extra(int vcpus, long memoryMb, @DefaultValue("0") int gpus) {
    public Extra {
      if (vcpus < 1 || memoryMb < 1 || gpus < 0) {
        throw new IllegalArgumentException(
            "sagebrush.scheduler.instance-types.extra: vcpus and memory-mb must be positive");
      }
    }
  }
}
