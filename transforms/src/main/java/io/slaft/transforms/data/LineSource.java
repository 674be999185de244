package io.slaft.transforms.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into physical lines on {@code \n}, dropping one trailing {@code \r}. Bytes
 * are not decoded here, so invalid UTF-8 stays confined to its line. A line longer than {@link
 * DataFile#MAX_ROW_BYTES} is read to its end but only its first {@code MAX_ROW_BYTES} bytes are
 * kept ({@link #tooLong()}), so memory stays bounded whatever the input. Not thread-safe.
 */
final class LineSource {
  private final InputStream in;
  private final int max;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private byte[] line = new byte[256];
  private int length;
  private long fullLength;
  private byte last;
  private long lineNumber;

  LineSource(InputStream in) {
    this(in, DataFile.MAX_ROW_BYTES);
  }

  /** A source that keeps at most {@code max} bytes of each line. */
  LineSource(InputStream in, int max) {
    this.in = in;
    this.max = max;
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    length = 0;
    fullLength = 0;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        if (eof) {
          break;
        }
        limit = in.read(buf);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          eof = true;
          break;
        }
      }
      any = true;
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      append(start, pos);
      if (pos < limit) {
        pos++;
        lineNumber++;
        trimCr();
        return true;
      }
    }
    if (!any) {
      return false;
    }
    lineNumber++;
    trimCr();
    return true;
  }

  /** Keeps up to {@code max + 1} bytes, so that a line of exactly {@code max} bytes plus {@code \r} is whole. */
  private void append(int from, int to) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    fullLength += n;
    last = buf[to - 1];
    int keep = Math.min(n, max + 1 - length);
    if (keep <= 0) {
      return;
    }
    if (length + keep > line.length) {
      line = Arrays.copyOf(line, Math.min(max + 1, Math.max(line.length * 2, length + keep)));
    }
    System.arraycopy(buf, from, line, length, keep);
    length += keep;
  }

  private void trimCr() {
    if (fullLength > 0 && last == '\r') {
      if (length == fullLength) {
        length--;
      }
      fullLength--;
    }
    if (length > max) {
      length = max;
    }
  }

  /** The kept bytes of the current line: all of it, or its first {@code max} bytes when {@link #tooLong()}. */
  byte[] bytes() {
    return line;
  }

  /** How many bytes of {@link #bytes()} belong to the current line. */
  int length() {
    return length;
  }

  /** The current line's length in the file, without its terminator. */
  long fullLength() {
    return fullLength;
  }

  /** Whether the current line is longer than the maximum, so that only its start was kept. */
  boolean tooLong() {
    return fullLength > max;
  }

  /** The 1-based number of the current line. */
  long lineNumber() {
    return lineNumber;
  }
}
