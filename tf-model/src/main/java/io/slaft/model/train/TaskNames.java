package io.slaft.model.train;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The one rule for telling task names apart: case, {@code -} and {@code _} do not count, so a
 * config's {@code sst2}, the GLUE spelling {@code SST-2} and {@code sst_2} name the same task
 * everywhere (config, summary, export, {@code --task}).
 */
public final class TaskNames {
  private TaskNames() {}

  /** The comparison key of {@code name}. */
  public static String key(String name) {
    return name == null ? "" : name.replace("-", "").replace("_", "").toUpperCase(Locale.ROOT);
  }

  /** Whether {@code a} and {@code b} name the same task. */
  public static boolean same(String a, String b) {
    return key(a).equals(key(b));
  }

  /** The name in {@code names} that {@code wanted} refers to, if any. */
  public static Optional<String> find(Collection<String> names, String wanted) {
    return names.stream().filter(n -> same(n, wanted)).findFirst();
  }
}
