package io.sagebrush.agent.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.protocol.GpuDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capacity discovery. This machine has no GPU, so GPU discovery runs against fake {@code
 * nvidia-smi} scripts that print what the real one prints (or fail as it does without a driver).
 */
class CapacityProbeTest {
  @TempDir Path dir;

  @Test
  void gpusAreReadFromNvidiaSmi() throws IOException {
    Path smi =
        script(
            "nvidia-smi",
            "#!/bin/sh\n"
                + "case \"$*\" in *--query-gpu=index,uuid,name,memory.total*) ;; *) exit 9;; esac\n"
                + "echo '0, GPU-11111111-2222-3333-4444-555555555555, NVIDIA A100-SXM4-40GB, 40960'\n"
                + "echo '1, GPU-66666666-7777-8888-9999-000000000000, Tesla T4, 15360'\n");

    HostCapacity capacity = new CapacityProbe(smi.toString()).probe(null, null);

    assertThat(capacity.gpus())
        .containsExactly(
            new GpuDevice(
                0, "GPU-11111111-2222-3333-4444-555555555555", "NVIDIA A100-SXM4-40GB", 40960),
            new GpuDevice(1, "GPU-66666666-7777-8888-9999-000000000000", "Tesla T4", 15360));
  }

  @Test
  void theLineARealH200PrintsIsParsed() throws IOException {
    // printed by nvidia-smi (driver 580) on a machine with an NVIDIA H200, 2026-11-27; the
    // probe read the same there (bench/device/run_checks.sh)
    Path smi =
        script(
            "nvidia-smi",
            "#!/bin/sh\necho '0, GPU-ece90cd8-83bb-e9e9-f21d-cfab0be3144c, NVIDIA H200, 143771'\n");

    assertThat(new CapacityProbe(smi.toString()).gpus())
        .containsExactly(
            new GpuDevice(0, "GPU-ece90cd8-83bb-e9e9-f21d-cfab0be3144c", "NVIDIA H200", 143771));
  }

  @Test
  void failingNvidiaSmiMeansNoGpus() throws IOException {
    Path smi =
        script(
            "nvidia-smi",
            "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the"
                + " NVIDIA driver.'\nexit 9\n");

    assertThat(new CapacityProbe(smi.toString()).gpus()).isEmpty();
  }

  @Test
  void missingNvidiaSmiMeansNoGpus() {
    assertThat(new CapacityProbe(dir.resolve("no-such-nvidia-smi").toString()).gpus()).isEmpty();
  }

  @Test
  void configuredCpusAndMemoryWinOverDetection() throws IOException {
    Path smi = script("nvidia-smi", "#!/bin/sh\nexit 0\n");

    HostCapacity capacity = new CapacityProbe(smi.toString()).probe(3, 2048L);

    assertThat(capacity.cpus()).isEqualTo(3);
    assertThat(capacity.memoryMb()).isEqualTo(2048);
    assertThat(capacity.gpus()).isEmpty();
  }

  @Test
  void detectedCapacityComesFromTheHost() throws IOException {
    Path meminfo = dir.resolve("meminfo");
    Files.writeString(meminfo, "MemTotal:       16303384 kB\nMemFree:         1000 kB\n");

    HostCapacity capacity =
        new CapacityProbe(dir.resolve("absent").toString(), meminfo).probe(null, null);

    assertThat(capacity.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(capacity.memoryMb()).isEqualTo(16303384 / 1024);
  }

  @Test
  void realMemoryIsPositive() {
    assertThat(new CapacityProbe("absent").detectMemoryMb()).isPositive();
  }

  private Path script(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
