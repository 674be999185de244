package io.slaft.transforms.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStepCacheTest {
  @TempDir Path tmp;

  private static CacheKey key(String lr) {
    return CacheKey.builder("train/SST-2")
        .param("lr", lr)
        .param("steps", 100)
        .input("abc123")
        .codeVersion("v1")
        .build();
  }

  @Test
  void keyDependsOnEveryPartButNotOnParamOrder() {
    CacheKey a = key("1e-3");
    CacheKey sameOtherOrder = CacheKey.builder("train/SST-2")
        .param("steps", 100).param("lr", "1e-3").input("abc123").codeVersion("v1").build();
    assertEquals(a, sameOtherOrder);
    assertEquals(64, a.hex().length());
    assertNotEquals(a, key("2e-3"));
    assertNotEquals(a, CacheKey.builder("train/RTE").param("lr", "1e-3").param("steps", 100).input("abc123").codeVersion("v1").build());
    assertNotEquals(a, CacheKey.builder("train/SST-2").param("lr", "1e-3").param("steps", 100).input("abc124").codeVersion("v1").build());
    assertNotEquals(a, CacheKey.builder("train/SST-2").param("lr", "1e-3").param("steps", 100).input("abc123").codeVersion("v2").build());
    assertNotEquals(
        CacheKey.builder("s").param("a", "b=c").codeVersion("v").build(),
        CacheKey.builder("s").param("a=b", "c").codeVersion("v").build());
    assertTrue(assertThrows(IllegalStateException.class, () -> CacheKey.builder("s").build()).getMessage().contains("codeVersion"));
  }

  @Test
  void missThenHitForDirectories() throws IOException {
    FileStepCache cache = FileStepCache.open(tmp.resolve("cache"));
    AtomicInteger runs = new AtomicInteger();
    StepCache.DirProducer producer = dir -> {
      runs.incrementAndGet();
      Files.writeString(dir.resolve("weights.bin"), "w" + runs.get());
    };

    Cached<Path> first = cache.cachedDir(key("1e-3"), producer);
    Cached<Path> second = cache.cachedDir(key("1e-3"), producer);
    Cached<Path> other = cache.cachedDir(key("2e-3"), producer);

    assertEquals(Cached.Status.MISS, first.status());
    assertEquals(Cached.Status.HIT, second.status());
    assertEquals(Cached.Status.MISS, other.status());
    assertEquals(2, runs.get());
    assertEquals(first.value(), second.value());
    assertEquals("w1", Files.readString(second.value().resolve("weights.bin")));
    String manifest = Files.readString(first.value().getParent().resolve("key.json"));
    assertTrue(manifest.contains("\"stage\" : \"train/SST-2\"") && manifest.contains("\"codeVersion\" : \"v1\""), manifest);
  }

  @Test
  void forcingRerunsAndReplaces() throws IOException {
    FileStepCache cache = FileStepCache.open(tmp.resolve("cache"));
    cache.cachedDir(key("1e-3"), dir -> Files.writeString(dir.resolve("r"), "old"));
    cache.cachedJson(key("1e-3"), () -> "{\"acc\": 0.5}");

    Cached<Path> forced = cache.forcingRerun().cachedDir(key("1e-3"), dir -> Files.writeString(dir.resolve("r"), "new"));
    Cached<String> forcedJson = cache.forcingRerun().cachedJson(key("1e-3"), () -> "{\"acc\": 0.9}");

    assertEquals(Cached.Status.FORCED, forced.status());
    assertEquals(Cached.Status.FORCED, forcedJson.status());
    assertEquals("new", Files.readString(cache.cachedDir(key("1e-3"), dir -> { throw new AssertionError("must hit"); }).value().resolve("r")));
    Cached<String> hit = cache.cachedJson(key("1e-3"), () -> { throw new AssertionError("must hit"); });
    assertEquals(Cached.Status.HIT, hit.status());
    assertEquals("{\"acc\": 0.9}", hit.value());
  }

  @Test
  void failingProducerPublishesNothingAndLeavesNoTemp() throws IOException {
    FileStepCache cache = FileStepCache.open(tmp.resolve("cache"));
    assertThrows(IOException.class, () -> cache.cachedDir(key("1e-3"), dir -> {
      Files.writeString(dir.resolve("partial"), "half");
      throw new IOException("disk full");
    }));
    assertFalse(cache.lookupDir(key("1e-3")).isPresent());
    try (Stream<Path> s = Files.list(cache.root().resolve(".tmp"))) {
      assertEquals(0, s.count());
    }
    Cached<Path> retry = cache.cachedDir(key("1e-3"), dir -> Files.writeString(dir.resolve("ok"), "1"));
    assertEquals(Cached.Status.MISS, retry.status());
    assertFalse(Files.exists(retry.value().resolve("partial")));
  }

  @Test
  void concurrentWritersOfOneKeyLeaveOneCompleteEntry() throws Exception {
    FileStepCache cache = FileStepCache.open(tmp.resolve("cache"));
    int writers = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Cached<Path>>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String content = "writer-" + i;
        Callable<Cached<Path>> task = () -> {
          start.await();
          return cache.cachedDir(key("1e-3"), dir -> {
            for (int f = 0; f < 20; f++) {
              Files.writeString(dir.resolve("part-" + f), content);
            }
          });
        };
        results.add(pool.submit(task));
      }
      start.countDown();
      Path published = null;
      for (Future<Cached<Path>> f : results) {
        Path p = f.get().value();
        published = published == null ? p : published;
        assertEquals(published, p);
      }
      List<String> contents = new ArrayList<>();
      for (int f = 0; f < 20; f++) {
        contents.add(Files.readString(published.resolve("part-" + f), StandardCharsets.UTF_8));
      }
      assertEquals(1, contents.stream().distinct().count(), "one writer's complete result: " + contents);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void dataDigestIsStreamedSha256OfContent() throws IOException {
    Path a = Files.writeString(tmp.resolve("a.txt"), "hello\n");
    assertEquals("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", DataDigest.of(a).hex());
    Path b = Files.writeString(tmp.resolve("b.txt"), "world\n");
    assertNotEquals(DataDigest.of(a, b), DataDigest.of(b, a));
    Path copy = Files.writeString(tmp.resolve("renamed.txt"), "hello\n");
    assertEquals(DataDigest.of(a, b), DataDigest.of(copy, b));
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(dir.resolve("x"), "1");
    DataDigest before = DataDigest.of(dir);
    Files.writeString(dir.resolve("x"), "2");
    assertNotEquals(before, DataDigest.of(dir));
    assertThrows(java.io.UncheckedIOException.class, () -> DataDigest.of(tmp.resolve("missing")));
  }

  @Test
  void dataDigestMatchesTheDatasetManifest() throws IOException {
    Path root = io.slaft.transforms.data.DataRoot.resolve(null).path();
    List<String> manifest = Files.readAllLines(root.resolve("manifest.tsv"));
    int checked = 0;
    for (String line : manifest.subList(1, manifest.size())) {
      String[] f = line.split("\t");
      if (f[0].equals("glue/SST-2/dev.tsv") || f[0].equals("glue/MNLI/subset_10k/dev.json")) {
        assertEquals(f[7], DataDigest.of(root.resolve(f[0])).hex(), f[0]);
        checked++;
      }
    }
    assertEquals(2, checked);
  }
}
