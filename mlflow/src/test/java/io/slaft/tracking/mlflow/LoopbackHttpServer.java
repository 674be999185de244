package io.slaft.tracking.mlflow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A minimal HTTP/1.1 server on a {@link ServerSocket} bound to 127.0.0.1, for unit tests of the
 * transport: it answers each request as a handler says, or holds the connection open and never
 * answers, or sends the headers and part of the body and then nothing. {@link #silent()} accepts
 * connections and never even reads from them. One connection per request ({@code Connection:
 * close}). Requests are recorded in order.
 */
final class LoopbackHttpServer implements AutoCloseable {

  /** One request as received: method, request target (path and query), headers (lower-case names), body. */
  record Request(String method, String target, Map<String, String> headers, String body) {}

  /** What the server does with one request. */
  sealed interface Answer permits Reply, Silence, Stall {}

  /** A complete answer. */
  record Reply(int status, String body) implements Answer {}

  /** No answer at all; the connection stays open until the server closes. */
  record Silence() implements Answer {}

  /** Status line, headers announcing {@code declaredLength} bytes, {@code partialBody}, then nothing. */
  record Stall(int status, String partialBody, int declaredLength) implements Answer {}

  private final ServerSocket socket;
  private final Function<Request, Answer> handler;
  private final boolean readRequests;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean closed;

  private LoopbackHttpServer(Function<Request, Answer> handler, boolean readRequests) throws IOException {
    this.socket = new ServerSocket();
    this.socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    this.handler = handler;
    this.readRequests = readRequests;
    Thread acceptor = new Thread(this::acceptLoop, "loopback-http-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Answers every request with {@code handler}. */
  static LoopbackHttpServer answering(Function<Request, Answer> handler) throws IOException {
    return new LoopbackHttpServer(handler, true);
  }

  /** Accepts TCP connections and never reads or writes a byte on them. */
  static LoopbackHttpServer silent() throws IOException {
    return new LoopbackHttpServer(r -> new Silence(), false);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  /** Requests received so far (not recorded by {@link #silent()}). */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** TCP connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    socket.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      open.add(s);
      if (readRequests) {
        Thread t = new Thread(() -> serve(s), "loopback-http-conn");
        t.setDaemon(true);
        t.start();
      }
    }
  }

  private void serve(Socket s) {
    try {
      InputStream in = s.getInputStream();
      Request request = read(in);
      if (request == null) {
        return;
      }
      requests.add(request);
      Answer answer = handler.apply(request);
      OutputStream out = s.getOutputStream();
      if (answer instanceof Reply reply) {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        out.write(head(reply.status(), body.length));
        out.write(body);
        out.flush();
        s.close();
      } else if (answer instanceof Stall stall) {
        out.write(head(stall.status(), stall.declaredLength()));
        out.write(stall.partialBody().getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // the client gave up or the server closed
    }
  }

  private static byte[] head(int status, int length) {
    return ("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads one request with a {@code Content-Length} body (the JDK client sends no chunked bodies here). */
  private static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
    String[] start = lines[0].split(" ");
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Request(start[0], start[1], headers, new String(body, StandardCharsets.UTF_8));
  }
}
