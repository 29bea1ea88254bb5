package io.sagebrush.api.embedded;

import io.sagebrush.api.config.CredentialsProperties;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * Resolves the server's credentials: configured values win; missing ones are read from {@code
 * <home>/credentials} (a properties file with access_key, secret_key and agent_token) or generated
 * once into it with mode 600.
 */
public final class CredentialsFile {
  static final String FILE_NAME = "credentials";
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private CredentialsFile() {}

  /**
   * Steps: 1. create the home directory; 2. read the file when present; 3. fill each missing value
   * from the file or a new random one; 4. rewrite the file when something was generated.
   */
  public static ServerCredentials resolve(Path home, CredentialsProperties configured) {
    try {
      Files.createDirectories(home);
      Path file = home.resolve(FILE_NAME);
      Properties stored = new Properties();
      if (Files.exists(file)) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          stored.load(reader);
        }
      }
      boolean generated = false;
      String[] names = {"access_key", "secret_key", "agent_token"};
      String[] given = {configured.accessKey(), configured.secretKey(), configured.agentToken()};
      String[] values = new String[3];
      for (int i = 0; i < 3; i++) {
        if (given[i] != null && !given[i].isBlank()) {
          values[i] = given[i].trim();
        } else if (stored.getProperty(names[i], "").isBlank()) {
          values[i] = generate(names[i]);
          stored.setProperty(names[i], values[i]);
          generated = true;
        } else {
          values[i] = stored.getProperty(names[i]).trim();
        }
      }
      if (generated) {
        write(file, stored);
      }
      return new ServerCredentials(values[0], values[1], values[2], file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write credentials under " + home, e);
    }
  }

  private static String generate(String name) {
    return switch (name) {
      case "access_key" -> "SB" + random(UPPER, 18);
      case "secret_key" -> random(SECRET, 40);
      default -> random(SECRET, 48);
    };
  }

  private static String random(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static void write(Path file, Properties values) throws IOException {
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      values.store(writer, "Sagebrush credentials (SigV4 / S3 access key and secret, agent token)");
    }
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
