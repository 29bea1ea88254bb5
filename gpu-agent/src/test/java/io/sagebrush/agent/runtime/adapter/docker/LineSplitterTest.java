package io.sagebrush.agent.runtime.adapter.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  @Test
  void linesSplitAcrossChunksAreJoinedAndTheLastPartialLineIsKept() {
    List<String> lines = new ArrayList<>();
    LineSplitter splitter = new LineSplitter(lines::add);

    splitter.accept(bytes("epoch 1 lo"));
    splitter.accept(bytes("ss=0.5\r\nepoch 2\n\nend"));
    splitter.finish();

    assertThat(lines).containsExactly("epoch 1 loss=0.5", "epoch 2", "", "end");
  }

  @Test
  void multiByteCharactersSurviveChunkBoundaries() {
    List<String> lines = new ArrayList<>();
    LineSplitter splitter = new LineSplitter(lines::add);
    byte[] text = bytes("größe ✓\n");

    splitter.accept(java.util.Arrays.copyOfRange(text, 0, 3));
    splitter.accept(java.util.Arrays.copyOfRange(text, 3, text.length));

    assertThat(lines).containsExactly("größe ✓");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
