package io.sagebrush.agent.capacity;

import io.sagebrush.protocol.GpuDevice;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the host's CPU cores, memory and GPUs. GPUs come from {@code nvidia-smi
 * --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits}; when the command is
 * absent or fails the host has no GPUs (logged once per probe).
 */
public final class CapacityProbe {
  private static final Logger log = LoggerFactory.getLogger(CapacityProbe.class);

  private final String nvidiaSmi;
  private final Path meminfo;

  /**
   * @param nvidiaSmi the nvidia-smi executable (a name on PATH or a path)
   */
  public CapacityProbe(String nvidiaSmi) {
    this(nvidiaSmi, Path.of("/proc/meminfo"));
  }

  CapacityProbe(String nvidiaSmi, Path meminfo) {
    this.nvidiaSmi = nvidiaSmi;
    this.meminfo = meminfo;
  }

  /** Probes the host, using {@code cpus}/{@code memoryMb} instead of detection when not null. */
  public HostCapacity probe(Integer cpus, Long memoryMb) {
    int c = cpus != null ? cpus : Runtime.getRuntime().availableProcessors();
    long m = memoryMb != null ? memoryMb : detectMemoryMb();
    return new HostCapacity(c, m, gpus());
  }

  /** Total memory in MiB from /proc/meminfo, else from the operating-system MXBean. */
  public long detectMemoryMb() {
    try {
      for (String line : Files.readAllLines(meminfo)) {
        if (line.startsWith("MemTotal:")) {
          String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[1]) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("Could not read {}: {}", meminfo, e.toString());
    }
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize() / (1024 * 1024);
    }
    return Runtime.getRuntime().maxMemory() / (1024 * 1024);
  }

  /** The GPUs nvidia-smi lists, or an empty list when it is absent or fails. */
  public List<GpuDevice> gpus() {
    Process process;
    try {
      process =
          new ProcessBuilder(
                  nvidiaSmi,
                  "--query-gpu=index,uuid,name,memory.total",
                  "--format=csv,noheader,nounits")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      log.info("No GPUs: {} is not available ({})", nvidiaSmi, e.getMessage());
      return List.of();
    }
    try (InputStream in = process.getInputStream()) {
      String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        log.info("No GPUs: {} did not answer in 30 s", nvidiaSmi);
        return List.of();
      }
      if (process.exitValue() != 0) {
        log.info("No GPUs: {} exited with {}: {}", nvidiaSmi, process.exitValue(), out.trim());
        return List.of();
      }
      return parse(out);
    } catch (IOException | RuntimeException e) {
      log.info("No GPUs: could not read the output of {} ({})", nvidiaSmi, e.toString());
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return List.of();
    }
  }

  /** Parses nvidia-smi's CSV lines {@code index, uuid, name, memory.total}. */
  static List<GpuDevice> parse(String csv) {
    List<GpuDevice> gpus = new ArrayList<>();
    for (String line : csv.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length < 4) {
        throw new IllegalArgumentException("unexpected nvidia-smi line: " + line);
      }
      String name = String.join(",", java.util.Arrays.copyOfRange(f, 2, f.length - 1)).trim();
      gpus.add(
          new GpuDevice(
              Integer.parseInt(f[0].trim()),
              f[1].trim(),
              name,
              Long.parseLong(f[f.length - 1].trim())));
    }
    return gpus;
  }
}
