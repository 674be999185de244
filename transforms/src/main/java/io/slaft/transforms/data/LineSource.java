package io.slaft.transforms.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into physical lines on {@code \n}, dropping one trailing {@code \r}. Bytes
 * are not decoded here, so invalid UTF-8 stays confined to its line. Not thread-safe.
 */
final class LineSource {
  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private byte[] line = new byte[256];
  private int length;
  private long lineNumber;

  LineSource(InputStream in) {
    this.in = in;
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    length = 0;
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

  private void append(int from, int to) {
    int n = to - from;
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
    }
    System.arraycopy(buf, from, line, length, n);
    length += n;
  }

  private void trimCr() {
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
  }

  byte[] bytes() {
    return line;
  }

  int length() {
    return length;
  }

  /** The 1-based number of the current line. */
  long lineNumber() {
    return lineNumber;
  }
}
