package io.slaft.files;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Binary files with a content checksum written last: the content, then a 40-byte trailer of the
 * magic {@code SLAFTSUM} and the SHA-256 of the content. {@link AtomicFiles.Writer#sealed()} writes
 * them; {@link #open} verifies the whole file before it hands out a byte, so a reader never parses
 * corrupt content (a flipped length field cannot make it allocate gigabytes).
 */
public final class Sealed {
  static final byte[] MAGIC = "SLAFTSUM".getBytes(StandardCharsets.US_ASCII);
  /** Bytes the trailer adds to the content. */
  public static final int TRAILER_BYTES = MAGIC.length + 32;

  private Sealed() {}

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] trailer(byte[] digest) {
    byte[] t = Arrays.copyOf(MAGIC, TRAILER_BYTES);
    System.arraycopy(digest, 0, t, MAGIC.length, digest.length);
    return t;
  }

  /**
   * Verifies {@code file} and returns its content length; {@code remedy} (what the user should do,
   * e.g. "delete it to resume from the previous checkpoint") goes into the error.
   *
   * @throws CorruptFileException when the trailer is missing or the checksum does not match
   */
  public static long verify(Path file, String remedy) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < TRAILER_BYTES) {
        throw new CorruptFileException(file, "it is " + size + " bytes, shorter than its checksum trailer (truncated?)", remedy);
      }
      ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES);
      ch.read(trailer, size - TRAILER_BYTES);
      byte[] t = trailer.array();
      if (!Arrays.equals(t, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
        throw new CorruptFileException(file, "no checksum trailer at its end (truncated, or written by a slaft without checksums)", remedy);
      }
      long content = size - TRAILER_BYTES;
      MessageDigest md = newDigest();
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      long pos = 0;
      while (pos < content) {
        buf.clear();
        if (content - pos < buf.capacity()) {
          buf.limit((int) (content - pos));
        }
        int n = ch.read(buf, pos);
        if (n < 0) {
          throw new CorruptFileException(file, "it ended while its checksum was being verified", remedy);
        }
        buf.flip();
        md.update(buf);
        pos += n;
      }
      byte[] expected = Arrays.copyOfRange(t, MAGIC.length, TRAILER_BYTES);
      byte[] actual = md.digest();
      if (!MessageDigest.isEqual(expected, actual)) {
        throw new CorruptFileException(file, "content checksum mismatch (sha256 written " + HexFormat.of().formatHex(expected, 0, 8)
            + "…, content has " + HexFormat.of().formatHex(actual, 0, 8) + "…)", remedy);
      }
      return content;
    }
  }

  /** Whether {@code file} ends with a checksum trailer (it may still be corrupt). */
  public static boolean hasTrailer(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() < TRAILER_BYTES) {
        return false;
      }
      ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
      ch.read(magic, ch.size() - TRAILER_BYTES);
      return Arrays.equals(magic.array(), MAGIC);
    }
  }

  /** Verifies {@code file} (see {@link #verify}) and opens a buffered stream over its content only. */
  public static InputStream open(Path file, String remedy) throws IOException {
    long content = verify(file, remedy);
    return new Bounded(new BufferedInputStream(Files.newInputStream(file), 1 << 20), content);
  }

  /** An input stream that ends after {@code remaining} bytes. */
  private static final class Bounded extends FilterInputStream {
    private long remaining;

    Bounded(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = in.skip(Math.min(n, remaining));
      remaining -= s;
      return s;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), remaining);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
