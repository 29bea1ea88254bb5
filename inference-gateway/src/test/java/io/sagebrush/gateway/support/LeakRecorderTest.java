package io.sagebrush.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class LeakRecorderTest {

  @Test
  void aBufferDroppedWithoutReleaseIsReported() {
    LeakRecorder.install();
    leakOne();
    assertThat(LeakRecorder.leaks()).isNotEmpty();
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(32);
    leaked.writeInt(42);
  }
}
