package io.sagebrush.algorithms.data;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.ChannelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Lists and reads the files of a channel directory. */
public final class ChannelData {
  private ChannelData() {}

  /**
   * The regular files under the channel directory (recursively, sorted by path), skipping hidden
   * files and {@code _SUCCESS}-style markers.
   *
   * @throws AlgorithmException when the channel holds no files
   */
  public static List<NamedFile> files(ChannelConfig channel) {
    Path dir = channel.dir();
    List<NamedFile> out = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> !p.getFileName().toString().startsWith("_"))
          .sorted()
          .forEach(
              p ->
                  out.add(
                      new NamedFile(
                          channel.name() + "/" + dir.relativize(p).toString().replace('\\', '/'),
                          p)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list channel " + channel.name(), e);
    }
    if (out.isEmpty()) {
      throw new AlgorithmException("channel '" + channel.name() + "' has no data files");
    }
    return out;
  }

  /** True when the first file starts with the RecordIO magic number. */
  public static boolean looksLikeRecordIo(List<NamedFile> files) {
    try (var in = Files.newInputStream(files.get(0).path())) {
      byte[] head = in.readNBytes(4);
      return head.length == 4
          && (head[0] & 0xff) == 0x0a
          && (head[1] & 0xff) == 0x23
          && (head[2] & 0xff) == 0xd7
          && (head[3] & 0xff) == 0xce;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
