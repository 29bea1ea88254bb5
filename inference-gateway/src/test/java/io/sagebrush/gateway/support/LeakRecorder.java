package io.sagebrush.gateway.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Tracks every Netty buffer (paranoid leak detection) and records the leaks Netty finds instead of
 * only logging them, so that a test can fail on a buffer the gateway never released. {@link
 * Session} installs it when the test JVM's JUnit session opens, before Netty's buffer classes load
 * (their leak detectors are made once, when the class loads); {@link #leaks()}, after a GC and some
 * allocations, has what was found.
 */
public final class LeakRecorder {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  private static boolean installed;

  private LeakRecorder() {}

  /** Registered in META-INF/services: installs the recorder before any test runs. */
  public static final class Session implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
      install();
    }
  }

  /** Installs the recorder (once per JVM) and the paranoid level. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    System.setProperty("io.netty.leakDetection.level", "paranoid");
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(
        new ResourceLeakDetectorFactory() {
          @Override
          public <T> ResourceLeakDetector<T> newResourceLeakDetector(
              Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval) {
              @Override
              protected void reportTracedLeak(String type, String records) {
                LEAKS.add(type + records);
                super.reportTracedLeak(type, records);
              }

              @Override
              protected void reportUntracedLeak(String type) {
                LEAKS.add(type);
                super.reportUntracedLeak(type);
              }
            };
          }
        });
  }

  /** Forgets the leaks found so far. */
  public static void clear() {
    LEAKS.clear();
  }

  /**
   * The leaks found so far, after collecting garbage and allocating a few buffers (Netty reports a
   * leaked buffer when a later allocation finds it collected but never released).
   */
  public static List<String> leaks() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      for (int j = 0; j < 64; j++) {
        ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        probe.release();
      }
    }
    return List.copyOf(LEAKS);
  }
}
