package io.slaft.transforms.stopping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRungStoreTest {
  @TempDir Path dir;

  @Test
  void othersAreEveryOtherPointsScoreAtThatRungInPointOrder() {
    FileRungStore s = FileRungStore.at(dir.resolve("rungs"));
    assertEquals(List.of(), s.others(10, "a"), "nothing reported yet, not even a directory");
    s.report(10, "c", 0.7);
    s.report(10, "a", 0.5);
    s.report(10, "b", Double.NaN);
    s.report(30, "c", 0.9);
    assertEquals(List.of(new RungStore.Report("b", Double.NaN), new RungStore.Report("c", 0.7)), s.others(10, "a"));
    assertEquals(List.of(new RungStore.Report("c", 0.9)), s.others(30, "a"));
    assertEquals(List.of(), s.others(30, "c"));
  }

  @Test
  void aPointThatReportsAgainReplacesItsScore() {
    FileRungStore s = FileRungStore.at(dir);
    s.report(10, "a", 0.5);
    s.report(10, "a", 0.6);
    assertEquals(List.of(new RungStore.Report("a", 0.6)), s.others(10, "z"));
  }

  @Test
  void aWriteInProgressIsNotReadAndABrokenFileNamesTheDirectory() throws Exception {
    FileRungStore s = FileRungStore.at(dir);
    s.report(10, "a", 0.5);
    Files.writeString(dir.resolve("rung-10").resolve(".b.score.1234.tmp"), "0.");
    assertEquals(List.of(new RungStore.Report("a", 0.5)), s.others(10, "z"));
    Files.writeString(dir.resolve("rung-10").resolve("b.score"), "half");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.others(10, "z"));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }
}
