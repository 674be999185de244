package io.slaft.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void failingBodyLeavesThePreviousFileAndNoTemporary() throws IOException {
    Path f = dir.resolve("summary.json");
    AtomicFiles.writeString(f, "old");
    FileWriteException e = assertThrows(FileWriteException.class, () -> AtomicFiles.to(f).write(out -> {
      out.write("half of the new".getBytes(StandardCharsets.UTF_8));
      throw new IOException("No space left on device");
    }));
    assertEquals("old", Files.readString(f));
    assertEquals(List.of("summary.json"), names());
    assertEquals("ENOSPC", e.errno());
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("ENOSPC")
        && e.getMessage().contains("previous summary.json is unchanged"), e.getMessage());
  }

  @Test
  void keepingPreviousKeepsTheLastTwo() throws IOException {
    Path f = dir.resolve("checkpoint.bin");
    Path prev = dir.resolve("checkpoint.prev.bin");
    for (String v : List.of("1", "2", "3")) {
      AtomicFiles.to(f).sealed().keepingPrevious(prev).write(out -> out.write(v.getBytes(StandardCharsets.UTF_8)));
    }
    assertEquals("3", read(f));
    assertEquals("2", read(prev));
    assertEquals(List.of("checkpoint.bin", "checkpoint.prev.bin"), names());
  }

  private static String read(Path f) throws IOException {
    try (InputStream in = Sealed.open(f, "")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void sealedContentRoundTripsAndAnyFlippedByteIsCaught() throws IOException {
    Path f = dir.resolve("weights.bin");
    byte[] content = new byte[300_000];
    new java.util.Random(7).nextBytes(content);
    AtomicFiles.to(f).sealed().write(out -> out.write(content));
    assertEquals(content.length + Sealed.TRAILER_BYTES, Files.size(f));
    try (InputStream in = Sealed.open(f, "")) {
      assertArrayEquals(content, in.readAllBytes());
    }
    for (long at : new long[] {0, 150_000, content.length - 1, content.length + 3, content.length + 20}) {
      byte[] saved = Files.readAllBytes(f);
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {(byte) (saved[(int) at] ^ 0x5A)}), at);
      }
      CorruptFileException e = assertThrows(CorruptFileException.class, () -> Sealed.open(f, "delete it"), "byte " + at);
      assertTrue(e.getMessage().startsWith(f + " is corrupt") && e.getMessage().endsWith("; delete it"), e.getMessage());
      Files.write(f, saved);
    }
    Files.write(f, java.util.Arrays.copyOf(Files.readAllBytes(f), content.length));
    assertThrows(CorruptFileException.class, () -> Sealed.verify(f, ""));
    assertFalse(Sealed.hasTrailer(f));
  }

  @Test
  void copyIsAtomicToo() throws IOException {
    Path src = dir.resolve("a.png");
    Files.write(src, new byte[] {1, 2, 3});
    Path dst = dir.resolve("sub").resolve("b.png");
    AtomicFiles.copy(src, dst);
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dst));
    assertThrows(FileWriteException.class, () -> AtomicFiles.copy(dir.resolve("missing"), dst));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dst));
  }

  /** A real kernel refusal: a child JVM whose file size limit (ulimit -f) is smaller than what it writes. */
  @Test
  void fileSizeLimitFromTheKernelIsReportedWithItsErrnoAndLosesNothing() throws Exception {
    Path f = dir.resolve("checkpoint.bin");
    AtomicFiles.writeString(f, "good");
    Process p = ChildJvm.of("-f 64", BigWrite.class, f.toString()).start();
    String out = ChildJvm.output(p);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(3, p.exitValue(), out);
    assertTrue(out.contains("cannot write " + f + ": File too large (EFBIG)"), out);
    assertEquals("good", Files.readString(f));
    assertEquals(List.of("checkpoint.bin"), names());
  }

  /** A real full disk: a 256 KiB tmpfs (needs root to mount; CI runs as root). */
  @Test
  void fullTmpfsIsReportedAsEnospcAndLosesNothing() throws Exception {
    Path mnt = dir.resolve("tmpfs");
    Files.createDirectories(mnt);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt.toString()).redirectErrorStream(true).start();
    String why = ChildJvm.output(mount);
    Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here: " + why);
    try {
      Path f = mnt.resolve("summary.json");
      AtomicFiles.writeString(f, "good");
      FileWriteException e = assertThrows(FileWriteException.class, () -> AtomicFiles.writeBytes(f, new byte[1 << 20]));
      assertEquals("ENOSPC", e.errno(), e.getMessage());
      assertEquals("good", Files.readString(f));
      try (Stream<Path> s = Files.list(mnt)) {
        assertEquals(List.of("summary.json"), s.map(q -> q.getFileName().toString()).toList());
      }
    } finally {
      new ProcessBuilder("umount", mnt.toString()).start().waitFor();
    }
  }

  /** Child: writes 1 MiB to args[0]; exit 3 with the error's message on failure. */
  public static final class BigWrite {
    public static void main(String[] args) {
      try {
        AtomicFiles.writeBytes(Path.of(args[0]), new byte[1 << 20]);
        System.out.println("written");
      } catch (FileWriteException e) {
        System.out.println(e.getMessage());
        System.exit(3);
      }
    }
  }
}
