package io.sagebrush.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** A bare HTTP/1.x client over TLS, for what the SDKs never send. */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  /** One response: status, headers (case-insensitive) and body. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  public RawHttp(int port, TrustManager[] trust) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust, null);
    socket = tls.getSocketFactory().createSocket("localhost", port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
  }

  public RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads one response (Content-Length framed); null when the connection closed first. */
  public Response read() throws IOException {
    return read(false);
  }

  /** Reads the answer to a HEAD request: headers only, whatever its Content-Length says. */
  public Response readHead() throws IOException {
    return read(true);
  }

  private Response read(boolean headersOnly) throws IOException {
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
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
    }
    int length = headersOnly ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Response(status, headers, body);
  }

  /** Every byte until the server closes the connection (a body framed by the close). */
  public byte[] readToEnd() throws IOException {
    return in.readAllBytes();
  }

  /** True when the server closed the connection (no further byte arrives). */
  public boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("reset");
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
