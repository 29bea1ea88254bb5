package io.sagebrush.gateway.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A model container on a plain server socket, for streamed answers whose every byte and pause the
 * test chooses. {@code GET /ping} answers 200. {@code POST /invocations} acts on its body:
 *
 * <ul>
 *   <li>{@code chunks N GAP_MS}: 200, chunked, {@code Content-Type: application/jsonlines}, N
 *       chunks {@code {"part":i}\n} with GAP_MS between them;
 *   <li>{@code fixed TEXT}: 200 with TEXT as a Content-Length body;
 *   <li>{@code status CODE}: CODE with the body {@code refused: CODE};
 *   <li>{@code break}: 200, chunked, one chunk, then the connection closes;
 *   <li>{@code stall MS}: 200, chunked, one chunk, then MS of silence, then the connection closes;
 *   <li>{@code big N SIZE}: 200, chunked, N chunks of SIZE bytes as fast as the connection takes
 *       them ({@link #chunksWritten} counts them);
 *   <li>{@code late START N GAP_MS}: START ms of silence, then as {@code chunks N GAP_MS}, counted
 *       in {@link #chunksWritten} (a write that fails because the gateway left ends it).
 * </ul>
 *
 * The custom attributes are echoed; the last request's headers are kept (names in lower case).
 * Connections are kept alive.
 */
public final class StreamingReplica implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private volatile Map<String, String> lastHeaders = Map.of();
  private final java.util.concurrent.atomic.AtomicInteger chunksWritten =
      new java.util.concurrent.atomic.AtomicInteger();

  public StreamingReplica() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public Map<String, String> lastHeaders() {
    return lastHeaders;
  }

  /** How many chunks the last {@code big} answer has written so far. */
  public int chunksWritten() {
    return chunksWritten.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        threads.execute(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        String requestLine = line(in);
        if (requestLine == null) {
          return;
        }
        Map<String, String> headers = new HashMap<>();
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
          int colon = header.indexOf(':');
          headers.put(
              header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              header.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        if (requestLine.startsWith("GET /ping")) {
          write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
          continue;
        }
        lastHeaders = headers;
        String echo = headers.get("x-amzn-sagemaker-custom-attributes");
        String attributes =
            echo == null ? "" : "X-Amzn-SageMaker-Custom-Attributes: echo:" + echo + "\r\n";
        String[] command = body.trim().split(" ", 3);
        switch (command[0]) {
          case "chunks" -> {
            write(out, streamHead(attributes));
            int n = Integer.parseInt(command[1]);
            long gap = Long.parseLong(command[2]);
            for (int i = 0; i < n; i++) {
              if (i > 0) {
                Thread.sleep(gap);
              }
              write(out, chunk("{\"part\":" + i + "}\n"));
            }
            write(out, "0\r\n\r\n");
          }
          case "big" -> {
            write(out, streamHead(attributes));
            int n = Integer.parseInt(command[1]);
            int size = Integer.parseInt(command[2]);
            byte[] data = new byte[size];
            java.util.Arrays.fill(data, (byte) 'x');
            byte[] sizeLine =
                (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            chunksWritten.set(0);
            for (int i = 0; i < n; i++) {
              out.write(sizeLine);
              out.write(data);
              out.write(new byte[] {'\r', '\n'});
              chunksWritten.incrementAndGet();
            }
            write(out, "0\r\n\r\n");
          }
          case "late" -> {
            String[] args = command[2].split(" ");
            chunksWritten.set(0);
            Thread.sleep(Long.parseLong(command[1]));
            write(out, streamHead(attributes));
            for (int i = 0; i < Integer.parseInt(args[0]); i++) {
              Thread.sleep(Long.parseLong(args[1]));
              write(out, chunk("{\"part\":" + i + "}\n"));
              chunksWritten.incrementAndGet();
            }
            write(out, "0\r\n\r\n");
          }
          case "fixed" -> {
            byte[] text = command[1].getBytes(StandardCharsets.UTF_8);
            write(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    + attributes
                    + "Content-Length: "
                    + text.length
                    + "\r\n\r\n"
                    + command[1]);
          }
          case "status" -> {
            String text = "refused: " + command[1];
            write(
                out,
                "HTTP/1.1 "
                    + command[1]
                    + " Nope\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: "
                    + text.length()
                    + "\r\n\r\n"
                    + text);
          }
          case "break" -> {
            write(out, streamHead(attributes) + chunk("{\"part\":0}\n"));
            return;
          }
          case "stall" -> {
            write(out, streamHead(attributes) + chunk("{\"part\":0}\n"));
            Thread.sleep(Long.parseLong(command[1]));
            return;
          }
          default -> throw new IllegalArgumentException("unknown command " + body);
        }
      }
    } catch (IOException e) {
      // the gateway closed the connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String streamHead(String attributes) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/jsonlines\r\n"
        + attributes
        + "Transfer-Encoding: chunked\r\n\r\n";
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length)
        + "\r\n"
        + data
        + "\r\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
