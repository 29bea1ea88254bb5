package io.sagebrush.agent.runtime.adapter.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Turns a stream of byte chunks into lines (without terminators). Not thread-safe. */
final class LineSplitter {
  private static final int MAX_LINE = 256 * 1024;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final Consumer<String> lines;

  LineSplitter(Consumer<String> lines) {
    this.lines = lines;
  }

  void accept(byte[] chunk) {
    for (byte b : chunk) {
      if (b == '\n') {
        emit();
      } else {
        pending.write(b);
        if (pending.size() >= MAX_LINE) {
          emit();
        }
      }
    }
  }

  /** Emits a last line that had no terminator. */
  void finish() {
    if (pending.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String line = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    lines.accept(line);
  }
}
