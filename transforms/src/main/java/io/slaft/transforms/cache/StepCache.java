package io.slaft.transforms.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A store of step results keyed by {@link CacheKey}: a stage whose inputs, parameters and code
 * version are unchanged is reused instead of re-run.
 *
 * <p>Contract for implementations: entries are published atomically (a reader sees a complete
 * entry or none), an entry is never modified in place, and all methods are safe to call from
 * several threads and processes sharing the store. When two writers race on one key, one result
 * wins and both callers get a complete entry. Lookups verify an entry's checksums; a corrupt entry
 * is an {@link io.slaft.files.CorruptFileException} naming the file and the remedy, never a hit.
 */
public interface StepCache {

  /** Writes a step's result into an empty directory that it owns until it returns. */
  @FunctionalInterface
  interface DirProducer {
    void produce(Path emptyDir) throws IOException;
  }

  /** The published result directory of {@code key}, if present (always empty when forcing). */
  Optional<Path> lookupDir(CacheKey key) throws IOException;

  /**
   * Runs {@code producer} in a fresh directory and publishes that directory as {@code key}'s
   * result; returns the published path. A failing producer publishes nothing.
   */
  Path storeDir(CacheKey key, DirProducer producer) throws IOException;

  /** The stored JSON result of {@code key}, if present (always empty when forcing). */
  Optional<String> lookupJson(CacheKey key) throws IOException;

  /** Publishes {@code json} as {@code key}'s JSON result. */
  void storeJson(CacheKey key, String json) throws IOException;

  /** True when lookups are bypassed and results are recomputed and replaced ({@code --no-cache}). */
  boolean forcing();

  /** Returns the cached directory of {@code key}, or produces, stores and returns it. */
  default Cached<Path> cachedDir(CacheKey key, DirProducer producer) throws IOException {
    Optional<Path> hit = lookupDir(key);
    if (hit.isPresent()) {
      return new Cached<>(hit.get(), Cached.Status.HIT, key);
    }
    Path stored = storeDir(key, producer);
    return new Cached<>(stored, forcing() ? Cached.Status.FORCED : Cached.Status.MISS, key);
  }

  /** Returns the cached JSON of {@code key}, or computes, stores and returns it. */
  default Cached<String> cachedJson(CacheKey key, Supplier<String> compute) throws IOException {
    Optional<String> hit = lookupJson(key);
    if (hit.isPresent()) {
      return new Cached<>(hit.get(), Cached.Status.HIT, key);
    }
    String json = compute.get();
    storeJson(key, json);
    return new Cached<>(json, forcing() ? Cached.Status.FORCED : Cached.Status.MISS, key);
  }
}
