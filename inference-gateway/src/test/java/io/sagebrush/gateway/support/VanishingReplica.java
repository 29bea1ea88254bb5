package io.sagebrush.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container on a raw socket that reads whole requests and counts them: the first {@code answered}
 * requests get a 200 on a kept-alive connection, every later one is read and then, after {@code
 * vanishAfterMillis}, the connection is closed without a response byte (the replica died while
 * working on it).
 */
public final class VanishingReplica implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final int answered;
  private final long vanishAfterMillis;
  private final boolean breakMidAnswer;

  private VanishingReplica(int answered, long vanishAfterMillis, boolean breakMidAnswer)
      throws IOException {
    this.answered = answered;
    this.vanishAfterMillis = vanishAfterMillis;
    this.breakMidAnswer = breakMidAnswer;
    this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    executor.execute(this::accept);
  }

  public static VanishingReplica start(int answered, long vanishAfterMillis) throws IOException {
    return new VanishingReplica(answered, vanishAfterMillis, false);
  }

  /** A replica that dies in the middle of every answer: headers and part of the body, then gone. */
  public static VanishingReplica breakingMidAnswer() throws IOException {
    return new VanishingReplica(0, 0, true);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** The connections currently open to this replica. */
  public int openConnections() {
    return open.get();
  }

  /** The connections opened to this replica so far. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** The requests received whole. */
  public int requests() {
    return requests.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        executor.execute(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    accepted.incrementAndGet();
    open.incrementAndGet();
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        in.readNBytes(length);
        int n = requests.incrementAndGet();
        if (n > answered) {
          if (breakMidAnswer) {
            out.write(
                "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 100\r\n\r\n0.5"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
          Thread.sleep(vanishAfterMillis);
          return;
        }
        byte[] body = "{\"replica\":\"vanishing\"}".getBytes(StandardCharsets.UTF_8);
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException e) {
      // the gateway went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.decrementAndGet();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    server.close();
    executor.shutdownNow();
  }
}
