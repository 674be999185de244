package io.slaft.transforms.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;

/**
 * Decodes a byte stream as strict UTF-8 (overlong forms, encoded surrogates and code points above
 * U+10FFFF are errors). Unlike {@link java.io.InputStreamReader}, which fails a whole read when its
 * chunk holds a bad byte, every character before the first bad byte is delivered; the read after
 * that throws a {@link CharacterCodingException}, and so does every later one. Not thread-safe.
 */
final class StrictUtf8Reader extends Reader {
  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
  private boolean eof;
  private boolean flushed;
  private CharacterCodingException error;

  StrictUtf8Reader(InputStream in) {
    this.in = in;
    bytes.flip();
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (error != null) {
      throw error;
    }
    if (len == 0) {
      return 0;
    }
    if (flushed) {
      return -1;
    }
    CharBuffer out = CharBuffer.wrap(cbuf, off, len);
    while (true) {
      CoderResult r = decoder.decode(bytes, out, eof);
      int n = out.position() - off;
      if (r.isError()) {
        error = r.isMalformed() ? new MalformedInputException(r.length()) : new UnmappableCharacterException(r.length());
        if (n > 0) {
          return n;
        }
        throw error;
      }
      if (r.isOverflow()) {
        return n;
      }
      if (eof) {
        // UTF-8 keeps no state to flush beyond what decode(.., true) reported.
        decoder.flush(out);
        flushed = true;
        n = out.position() - off;
        return n == 0 ? -1 : n;
      }
      if (n > 0) {
        return n;
      }
      bytes.compact();
      int k = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
      if (k < 0) {
        eof = true;
      } else {
        bytes.position(bytes.position() + k);
      }
      bytes.flip();
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
