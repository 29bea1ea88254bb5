package io.sagebrush.artifacts.embedded;

import java.nio.file.Path;

/**
 * Runs an embedded S3 server until killed, for trying clients by hand: {@code java -cp ...
 * EmbeddedS3ServerDemo <dataDir> <port> <accessKey> <secretKey>}.
 */
public final class EmbeddedS3ServerDemo {
  private EmbeddedS3ServerDemo() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedS3Server server =
        EmbeddedS3Server.start(
            "127.0.0.1", Integer.parseInt(args[1]), Path.of(args[0]), args[2], args[3]);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("READY " + server.endpoint());
    Thread.currentThread().join();
  }
}
