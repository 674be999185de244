package io.slaft.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
  @TempDir Path dir;

  @Test
  void aSecondOwnerInTheSameJvmIsRefusedUntilTheFirstCloses() throws Exception {
    List<String> notices = new ArrayList<>();
    try (DirectoryLock first = DirectoryLock.acquire(dir, "slaft train --out x", notices::add)) {
      DirectoryLockedException e = assertThrows(DirectoryLockedException.class,
          () -> DirectoryLock.acquire(dir.resolve(".").resolve("sub/.."), "slaft run", notices::add));
      assertEquals(ProcessHandle.current().pid(), e.holderPid());
      assertTrue(e.getMessage().contains("slaft train --out x"), e.getMessage());
    }
    try (DirectoryLock again = DirectoryLock.acquire(dir, "slaft run", notices::add)) {
      assertEquals(dir.toAbsolutePath().normalize(), again.directory());
    }
    assertEquals(List.of(), notices, "a cleanly closed lock is not stale");
  }

  @Test
  void anotherProcessIsRefusedWithTheHoldersPidAndAStaleLockIsTakenOverAfterKill9() throws Exception {
    Process holder = ChildJvm.of(null, Hold.class, dir.toString()).start();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("held", r.readLine());
      DirectoryLockedException e = assertThrows(DirectoryLockedException.class,
          () -> DirectoryLock.acquire(dir, "slaft train", s -> { }));
      assertEquals(holder.pid(), e.holderPid());
      assertTrue(e.getMessage().contains("pid " + holder.pid() + " (child holder") && e.getMessage().contains("another --out"),
          e.getMessage());
    } finally {
      holder.destroyForcibly();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(Files.readString(dir.resolve(DirectoryLock.FILE)).contains("pid=" + holder.pid()), "a killed holder leaves its record");
    List<String> notices = new ArrayList<>();
    try (DirectoryLock mine = DirectoryLock.acquire(dir, "slaft train", notices::add)) {
      assertEquals(1, notices.size());
      assertTrue(notices.get(0).contains("stale lock") && notices.get(0).contains("pid " + holder.pid())
          && notices.get(0).contains("is no longer running"), notices.get(0));
      assertTrue(Files.readString(dir.resolve(DirectoryLock.FILE)).contains("pid=" + ProcessHandle.current().pid()));
    }
  }

  /** Child: holds the lock on args[0], prints "held", then waits to be killed. */
  public static final class Hold {
    public static void main(String[] args) throws Exception {
      DirectoryLock.acquire(Path.of(args[0]), "child holder", s -> { });
      System.out.println("held");
      System.out.flush();
      Thread.sleep(120_000);
    }
  }
}
