package io.sagebrush.scheduler.placement.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The instance types Sagebrush knows: common ml.* defaults plus configured extras. */
public final class InstanceCatalogue {
  private final Map<String, InstanceType> types;

  public InstanceCatalogue(Map<String, InstanceType> types) {
    this.types = Map.copyOf(types);
  }

  /** The defaults, with {@code extra} added (an extra with a default's name replaces it). */
  public static InstanceCatalogue withDefaults(Map<String, InstanceType> extra) {
    Map<String, InstanceType> all = new LinkedHashMap<>(defaults());
    all.putAll(extra);
    return new InstanceCatalogue(all);
  }

  public Optional<InstanceType> find(String name) {
    return Optional.ofNullable(name == null ? null : types.get(name));
  }

  /** Every known type, by name. */
  public Map<String, InstanceType> all() {
    return new TreeMap<>(types);
  }

  /** ml.t3, m5, m6i, c5, r5 (CPU) and p3, g4dn, g5, p4d (GPU) as AWS sizes them. */
  public static Map<String, InstanceType> defaults() {
    Map<String, InstanceType> m = new LinkedHashMap<>();
    add(m, "ml.t3.medium", 2, 4, 0);
    add(m, "ml.t3.large", 2, 8, 0);
    add(m, "ml.t3.xlarge", 4, 16, 0);
    add(m, "ml.t3.2xlarge", 8, 32, 0);
    for (String family : new String[] {"m5", "m6i"}) {
      add(m, "ml." + family + ".large", 2, 8, 0);
      add(m, "ml." + family + ".xlarge", 4, 16, 0);
      add(m, "ml." + family + ".2xlarge", 8, 32, 0);
      add(m, "ml." + family + ".4xlarge", 16, 64, 0);
      add(m, "ml." + family + ".8xlarge", 32, 128, 0);
      add(m, "ml." + family + ".12xlarge", 48, 192, 0);
      add(m, "ml." + family + ".16xlarge", 64, 256, 0);
      add(m, "ml." + family + ".24xlarge", 96, 384, 0);
    }
    add(m, "ml.m6i.32xlarge", 128, 512, 0);
    add(m, "ml.c5.large", 2, 4, 0);
    add(m, "ml.c5.xlarge", 4, 8, 0);
    add(m, "ml.c5.2xlarge", 8, 16, 0);
    add(m, "ml.c5.4xlarge", 16, 32, 0);
    add(m, "ml.c5.9xlarge", 36, 72, 0);
    add(m, "ml.c5.18xlarge", 72, 144, 0);
    add(m, "ml.r5.large", 2, 16, 0);
    add(m, "ml.r5.xlarge", 4, 32, 0);
    add(m, "ml.r5.2xlarge", 8, 64, 0);
    add(m, "ml.r5.4xlarge", 16, 128, 0);
    add(m, "ml.r5.8xlarge", 32, 256, 0);
    add(m, "ml.r5.12xlarge", 48, 384, 0);
    add(m, "ml.r5.16xlarge", 64, 512, 0);
    add(m, "ml.r5.24xlarge", 96, 768, 0);
    add(m, "ml.p3.2xlarge", 8, 61, 1);
    add(m, "ml.p3.8xlarge", 32, 244, 4);
    add(m, "ml.p3.16xlarge", 64, 488, 8);
    add(m, "ml.p3dn.24xlarge", 96, 768, 8);
    add(m, "ml.g4dn.xlarge", 4, 16, 1);
    add(m, "ml.g4dn.2xlarge", 8, 32, 1);
    add(m, "ml.g4dn.4xlarge", 16, 64, 1);
    add(m, "ml.g4dn.8xlarge", 32, 128, 1);
    add(m, "ml.g4dn.12xlarge", 48, 192, 4);
    add(m, "ml.g4dn.16xlarge", 64, 256, 1);
    add(m, "ml.g5.xlarge", 4, 16, 1);
    add(m, "ml.g5.2xlarge", 8, 32, 1);
    add(m, "ml.g5.4xlarge", 16, 64, 1);
    add(m, "ml.g5.8xlarge", 32, 128, 1);
    add(m, "ml.g5.12xlarge", 48, 192, 4);
    add(m, "ml.g5.16xlarge", 64, 256, 1);
    add(m, "ml.g5.24xlarge", 96, 384, 4);
    add(m, "ml.g5.48xlarge", 192, 768, 8);
    add(m, "ml.p4d.24xlarge", 96, 1152, 8);
    return m;
  }

  private static void add(Map<String, InstanceType> m, String name, int vcpu, long gib, int gpus) {
    m.put(name, new InstanceType(name, vcpu, gib * 1024, gpus));
  }
}
