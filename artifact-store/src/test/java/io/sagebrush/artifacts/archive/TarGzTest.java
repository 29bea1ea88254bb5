package io.sagebrush.artifacts.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {
  @TempDir Path tmp;

  @Test
  void packPutsFilesAtTheArchiveRootAndUnpackRestoresThem() throws IOException {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve("weights.bin"), "w");
    Files.createDirectories(model.resolve("sub/deeper"));
    Files.writeString(model.resolve("sub/deeper/config.json"), "{}");
    Path archive = tmp.resolve("out/model.tar.gz");

    TarGz.pack(model, archive);

    assertThat(entryNames(archive))
        .containsExactly("sub/", "sub/deeper/", "sub/deeper/config.json", "weights.bin");
    Path target = tmp.resolve("unpacked");
    TarGz.unpack(archive, target);
    assertThat(target.resolve("weights.bin")).hasContent("w");
    assertThat(target.resolve("sub/deeper/config.json")).hasContent("{}");
  }

  @Test
  void packOfAnEmptyDirectoryGivesAValidEmptyArchive() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path archive = tmp.resolve("empty.tar.gz");

    TarGz.pack(empty, archive);

    assertThat(entryNames(archive)).isEmpty();
    TarGz.unpack(archive, tmp.resolve("target"));
    try (Stream<Path> files = Files.list(tmp.resolve("target"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void packKeepsLongAndNonAsciiNames() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("long"));
    String longName = "d".repeat(120) + "/" + "f".repeat(150) + "-ünïcode.txt";
    Files.createDirectories(dir.resolve(longName).getParent());
    Files.writeString(dir.resolve(longName), "long");
    Path archive = tmp.resolve("long.tar.gz");

    TarGz.pack(dir, archive);
    TarGz.unpack(archive, tmp.resolve("target"));

    assertThat(tmp.resolve("target").resolve(longName)).hasContent("long");
  }

  @Test
  void packKeepsTheExecutableBit() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("exec"));
    Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path archive = tmp.resolve("exec.tar.gz");

    TarGz.pack(dir, archive);
    TarGz.unpack(archive, tmp.resolve("target"));

    assertThat(Files.isExecutable(tmp.resolve("target/run.sh"))).isTrue();
  }

  @Test
  void packStoresSymbolicLinksWithoutFollowingThem() throws IOException {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "do not leak");
    Path dir = Files.createDirectories(tmp.resolve("withlink"));
    Files.createSymbolicLink(dir.resolve("leak"), secret);
    Path archive = tmp.resolve("link.tar.gz");

    TarGz.pack(dir, archive);

    assertThat(archiveContains(archive, "do not leak")).isFalse();
    assertThat(entryNames(archive)).containsExactly("leak");
  }

  @Test
  void packSkipsTheArchiveItselfWhenItLiesInsideTheDirectory() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("self"));
    Files.writeString(dir.resolve("a.txt"), "a");

    TarGz.pack(dir, dir.resolve("self.tar.gz"));

    assertThat(entryNames(dir.resolve("self.tar.gz"))).containsExactly("a.txt");
  }

  @Test
  void unpackRefusesAnEntryWithDotDot() throws IOException {
    Path archive = craft(tar -> file(tar, "../evil.txt", "x"));

    assertThatThrownBy(() -> TarGz.unpack(archive, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("'../evil.txt'");
    assertThat(tmp.resolve("evil.txt")).doesNotExist();
  }

  @Test
  void unpackRefusesADotDotHiddenInsideThePath() throws IOException {
    Path archive = craft(tar -> file(tar, "a/../../evil.txt", "x"));

    assertThatThrownBy(() -> TarGz.unpack(archive, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("'a/../../evil.txt'");
    assertThat(tmp.resolve("evil.txt")).doesNotExist();
  }

  @Test
  void unpackRefusesAnAbsolutePath() throws IOException {
    Path outside = tmp.resolve("abs-target.txt");
    Path archive = craft(tar -> file(tar, outside.toString(), "x"));

    assertThatThrownBy(() -> TarGz.unpack(archive, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining(outside.toString())
        .hasMessageContaining("absolute");
    assertThat(outside).doesNotExist();
  }

  @Test
  void unpackRefusesAnEtcPath() throws IOException {
    Path archive = craft(tar -> file(tar, "/etc/sagebrush-evil", "x"));

    assertThatThrownBy(() -> TarGz.unpack(archive, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("'/etc/sagebrush-evil'");
    assertThat(Path.of("/etc/sagebrush-evil")).doesNotExist();
  }

  @Test
  void unpackRefusesASymlinkPointingOutside() throws IOException {
    Path archive = craft(tar -> symlink(tar, "escape", "../../outside"));

    assertThatThrownBy(() -> TarGz.unpack(archive, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("'escape'")
        .hasMessageContaining("outside");
  }

  @Test
  void unpackRefusesAnAbsoluteSymlinkTarget() throws IOException {
    Path archive = craft(tar -> symlink(tar, "etc", "/etc"));

    assertThatThrownBy(() -> TarGz.unpack(archive, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("'etc'");
    assertThat(tmp.resolve("target/etc")).doesNotExist();
  }

  @Test
  void unpackNeverWritesThroughASymlinkToOutside() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path target = Files.createDirectories(tmp.resolve("target"));
    // A link planted before unpacking (for example by a container) must not be written through.
    Files.createSymbolicLink(target.resolve("planted"), outside);
    Path archive = craft(tar -> file(tar, "planted/pwned.txt", "x"));

    assertThatThrownBy(() -> TarGz.unpack(archive, target))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("'planted/pwned.txt'");
    assertThat(outside.resolve("pwned.txt")).doesNotExist();
  }

  @Test
  void unpackRefusesALinkThatEscapesThroughAnotherLink() throws IOException {
    Path archive =
        craft(
            tar -> {
              symlink(tar, "d", ".");
              symlink(tar, "e", "d/..");
            });

    assertThatThrownBy(() -> TarGz.unpack(archive, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("'e'");
    assertThat(tmp.resolve("target/e")).doesNotExist();
  }

  @Test
  void unpackRefusesAHardLinkToAFileOutside() throws IOException {
    Files.writeString(tmp.resolve("secret.txt"), "secret");
    Path archive = craft(tar -> hardlink(tar, "copy", "../secret.txt"));

    assertThatThrownBy(() -> TarGz.unpack(archive, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("'copy'");
    assertThat(tmp.resolve("target/copy")).doesNotExist();
  }

  @Test
  void unpackAcceptsLinksThatStayInside() throws IOException {
    Path archive =
        craft(
            tar -> {
              file(tar, "lib/libreal.so", "real");
              symlink(tar, "lib/libalias.so", "libreal.so");
              symlink(tar, "bin/tool", "../lib/libreal.so");
              hardlink(tar, "hard.so", "lib/libreal.so");
            });
    Path target = tmp.resolve("target");

    TarGz.unpack(archive, target);

    assertThat(target.resolve("lib/libalias.so")).hasContent("real");
    assertThat(target.resolve("bin/tool")).hasContent("real");
    assertThat(target.resolve("hard.so")).hasContent("real");
  }

  @Test
  void unpackRefusesDeviceEntries() throws IOException {
    Path archive =
        craft(
            tar -> {
              TarArchiveEntry entry = new TarArchiveEntry("null", TarArchiveEntry.LF_CHR);
              tar.putArchiveEntry(entry);
              tar.closeArchiveEntry();
            });

    assertThatThrownBy(() -> TarGz.unpack(archive, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("'null'");
  }

  @Test
  void unpackOfSomethingThatIsNotGzipNamesTheArchive() throws IOException {
    Path junk = Files.writeString(tmp.resolve("junk.tar.gz"), "not gzip");

    assertThatThrownBy(() -> TarGz.unpack(junk, tmp.resolve("target")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("junk.tar.gz");
  }

  @Test
  void packOfAMissingDirectoryFails() {
    assertThatThrownBy(() -> TarGz.pack(tmp.resolve("missing"), tmp.resolve("m.tar.gz")))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("not a directory");
  }

  private interface TarWriter {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private Path craft(TarWriter writer) throws IOException {
    Path archive = Files.createTempFile(tmp, "crafted", ".tar.gz");
    try (OutputStream out = Files.newOutputStream(archive);
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      writer.write(tar);
    }
    return archive;
  }

  private static void file(TarArchiveOutputStream tar, String name, String content)
      throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    // The constructor with preserveAbsolutePath=true keeps names such as "/etc/x" verbatim.
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(data.length);
    tar.putArchiveEntry(entry);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream tar, String name, String target)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    entry.setLinkName(target);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static void hardlink(TarArchiveOutputStream tar, String name, String target)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
    entry.setLinkName(target);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static List<String> entryNames(Path archive) throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  private static boolean archiveContains(Path archive, String text) throws IOException {
    try (var in = new GzipCompressorInputStream(Files.newInputStream(archive))) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(text);
    }
  }
}
