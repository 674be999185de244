package io.slaft.cli;

import io.slaft.files.DirectoryLock;
import io.slaft.files.FileWriteException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The output directories the running command owns ({@link DirectoryLock}): claimed by the command
 * (through {@link GlobalOptions#claimOutput}) before it writes anything, released by {@link
 * Slaft#run} when the command returns, however it ends. Per thread, because a command runs on the
 * thread that called {@link Slaft#run}.
 */
final class OutputLocks {
  private static final ThreadLocal<List<DirectoryLock>> HELD = ThreadLocal.withInitial(ArrayList::new);

  private OutputLocks() {}

  static void claim(Path dir, String command) {
    try {
      HELD.get().add(DirectoryLock.acquire(dir, command, notice -> System.err.println("slaft: " + notice)));
    } catch (FileWriteException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the output directory " + dir + ": " + e.getMessage(), e);
    }
  }

  static void releaseAll() {
    List<DirectoryLock> held = HELD.get();
    for (DirectoryLock l : held) {
      l.close();
    }
    held.clear();
  }
}
