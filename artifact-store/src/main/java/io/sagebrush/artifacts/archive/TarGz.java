package io.sagebrush.artifacts.archive;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Packs a directory into a gzip-compressed tar (the {@code model.tar.gz} format SageMaker uses) and
 * unpacks one safely.
 *
 * <p>Packing stores paths relative to the directory, so files sit at the archive root; long names
 * use POSIX (PAX) headers. Symbolic links are stored as links and never followed, so a training
 * container cannot smuggle files from outside its directory into the archive.
 *
 * <p>Unpacking refuses, before writing anything under the entry's name, any entry whose path is
 * absolute or normalizes outside the target directory, any symbolic link whose target resolves
 * outside it, any hard link to a path outside it, and device or FIFO entries.
 */
public final class TarGz {
  private static final int BUFFER = 64 * 1024;

  private TarGz() {}

  /**
   * Packs every file, directory and symbolic link under {@code dir} into {@code tarGz}, with paths
   * relative to {@code dir}. An empty directory gives a valid empty archive. Existing {@code tarGz}
   * is replaced; it must not lie inside {@code dir}'s tree (it is skipped if it does).
   *
   * @throws ArchiveException when {@code dir} is not a directory or an I/O error occurs
   */
  public static void pack(Path dir, Path tarGz) {
    if (!Files.isDirectory(dir)) {
      throw new ArchiveException("Cannot pack " + dir + ": not a directory");
    }
    Path root = dir.toAbsolutePath().normalize();
    Path target = tarGz.toAbsolutePath().normalize();
    try {
      Path parent = target.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = Files.createTempFile(parent, target.getFileName().toString(), ".part");
      try {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), BUFFER);
            GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
            TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
          tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
          tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
          tar.setAddPaxHeadersForNonAsciiNames(true);
          for (Path path : entriesOf(root, target, tmp)) {
            writeEntry(tar, root, path);
          }
          tar.finish();
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ArchiveException("Cannot pack " + dir + " into " + tarGz + ": " + e, e);
    }
  }

  /**
   * Unpacks {@code tarGz} into {@code dir}, creating it if needed. Existing files with the same
   * names are replaced.
   *
   * @throws ArchiveException naming the entry when it would escape {@code dir}, or naming the
   *     archive when it is not a readable gzip-compressed tar
   */
  public static void unpack(Path tarGz, Path dir) {
    Path root;
    try {
      Files.createDirectories(dir);
      root = dir.toRealPath();
    } catch (IOException e) {
      throw new ArchiveException("Cannot unpack " + tarGz + ": cannot create " + dir + ": " + e, e);
    }
    try (InputStream file = new BufferedInputStream(Files.newInputStream(tarGz), BUFFER);
        GzipCompressorInputStream gzip = new GzipCompressorInputStream(file, true);
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip, "UTF-8")) {
      List<Path> links = new ArrayList<>();
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        extract(tar, entry, root, tarGz, links);
      }
      // A link checked lexically may still escape through another link ("d -> ." then
      // "e -> d/.."); once everything exists, resolve each link for real.
      for (Path link : links) {
        checkResolvedLink(root, link, tarGz);
      }
    } catch (ArchiveException e) {
      throw e;
    } catch (IOException e) {
      throw new ArchiveException("Cannot unpack " + tarGz + " into " + dir + ": " + e, e);
    }
  }

  private static List<Path> entriesOf(Path root, Path... skip) throws IOException {
    List<Path> paths = new ArrayList<>();
    Set<Path> skipped = Set.of(skip);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (!d.equals(root)) {
              paths.add(d);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if ((attrs.isRegularFile() || attrs.isSymbolicLink()) && !skipped.contains(f)) {
              paths.add(f);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    paths.sort(null);
    return paths;
  }

  private static void writeEntry(TarArchiveOutputStream tar, Path root, Path path)
      throws IOException {
    String name = root.relativize(path).toString().replace('\\', '/');
    if (Files.isSymbolicLink(path)) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      entry.setLinkName(Files.readSymbolicLink(path).toString());
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
      return;
    }
    TarArchiveEntry entry = tar.createArchiveEntry(path, name, LinkOption.NOFOLLOW_LINKS);
    // Owner names of the packing machine mean nothing to the reader.
    entry.setUserName("");
    entry.setGroupName("");
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setMode(modeOf(path, entry.isDirectory()));
    tar.putArchiveEntry(entry);
    if (entry.isFile()) {
      Files.copy(path, tar);
    }
    tar.closeArchiveEntry();
  }

  private static void extract(
      TarArchiveInputStream tar, TarArchiveEntry entry, Path root, Path tarGz, List<Path> links)
      throws IOException {
    String name = entry.getName();
    Path target = inside(root, name, name, tarGz);
    if (entry.isDirectory()) {
      Files.createDirectories(target);
      return;
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      throw refused(tarGz, name, "only files, directories and links may be unpacked");
    }
    if (target.equals(root)) {
      throw refused(tarGz, name, "it names the target directory itself");
    }
    ensureParent(root, target, name, tarGz);
    if (entry.isSymbolicLink()) {
      String link = entry.getLinkName();
      if (link.isEmpty() || link.startsWith("/")) {
        throw refused(tarGz, name, "its link target '" + link + "' is absolute");
      }
      inside(root, target.getParent().resolve(link).normalize(), name, link, tarGz);
      Files.deleteIfExists(target);
      Files.createSymbolicLink(target, target.getFileSystem().getPath(link));
      links.add(target);
      checkResolvedLink(root, target, tarGz);
      return;
    }
    if (entry.isLink()) {
      String link = entry.getLinkName();
      Path source = inside(root, link, name, tarGz);
      Path realSource = source.toRealPath();
      if (!realSource.startsWith(root) || !Files.isRegularFile(realSource)) {
        throw refused(tarGz, name, "its hard link target '" + link + "' is outside the directory");
      }
      Files.deleteIfExists(target);
      Files.copy(realSource, target);
      return;
    }
    if (!entry.isFile()) {
      throw refused(tarGz, name, "only files, directories and links may be unpacked");
    }
    if (Files.isSymbolicLink(target)) {
      Files.delete(target);
    }
    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
    applyMode(target, entry.getMode());
  }

  /** Resolves an entry's path under root; refuses absolute paths and paths leaving root. */
  private static Path inside(Path root, String path, String entryName, Path tarGz) {
    if (path.isEmpty()) {
      throw refused(tarGz, entryName, "its name is empty");
    }
    if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
      throw refused(tarGz, entryName, "it has an absolute path");
    }
    for (String segment : path.split("[/\\\\]")) {
      if (segment.equals("..")) {
        throw refused(tarGz, entryName, "it contains '..'");
      }
    }
    return inside(root, root.resolve(path).normalize(), entryName, path, tarGz);
  }

  private static Path inside(Path root, Path resolved, String entryName, String what, Path tarGz) {
    if (!resolved.startsWith(root)) {
      throw refused(tarGz, entryName, "'" + what + "' points outside the target directory");
    }
    return resolved;
  }

  /**
   * Creates the entry's parent directories and checks, after resolving links already unpacked, that
   * the parent still lies inside root (a link entry followed by a file under it must not write
   * through the link).
   */
  private static void ensureParent(Path root, Path target, String name, Path tarGz)
      throws IOException {
    Path parent = target.getParent();
    Path real = parent;
    // Find the deepest existing ancestor and check its real path before creating anything.
    while (real != null && !Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
      real = real.getParent();
    }
    if (real == null || !real.toRealPath().startsWith(root)) {
      throw refused(tarGz, name, "its parent directory resolves outside the target directory");
    }
    Files.createDirectories(parent);
    if (!parent.toRealPath().startsWith(root)) {
      throw refused(tarGz, name, "its parent directory resolves outside the target directory");
    }
    if (Files.isSymbolicLink(target)) {
      return;
    }
    if (Files.exists(target) && !target.toRealPath().startsWith(root)) {
      throw refused(tarGz, name, "it would overwrite a file outside the target directory");
    }
  }

  private static void checkResolvedLink(Path root, Path link, Path tarGz) throws IOException {
    if (Files.exists(link) && !link.toRealPath().startsWith(root)) {
      String name = root.relativize(link).toString();
      Files.delete(link);
      throw refused(tarGz, name, "its link target resolves outside the target directory");
    }
  }

  /** The entry mode: type bits plus permissions, 0644/0755 when the file system has none. */
  private static int modeOf(Path path, boolean directory) {
    int type = directory ? 040000 : 0100000;
    try {
      int perms = 0;
      for (PosixFilePermission p : Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)) {
        perms |= 1 << (8 - p.ordinal());
      }
      return type | perms;
    } catch (UnsupportedOperationException | IOException e) {
      return type | (directory || Files.isExecutable(path) ? 0755 : 0644);
    }
  }

  private static void applyMode(Path file, int mode) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if ((mode & 0100) != 0) {
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        perms.add(PosixFilePermission.GROUP_EXECUTE);
        perms.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(file, perms);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // Non-POSIX file systems keep their default permissions.
    }
  }

  private static ArchiveException refused(Path tarGz, String entry, String why) {
    return new ArchiveException(
        "Refusing to unpack entry '" + entry + "' from " + tarGz + ": " + why);
  }
}
