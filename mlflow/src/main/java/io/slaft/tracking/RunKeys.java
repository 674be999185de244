package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/** Derives deterministic run keys from the values that identify a run. */
public final class RunKeys {

  private RunKeys() {}

  /**
   * Returns a 32-hex-character key that depends only on {@code parts} and their order, so the
   * same pipeline invocation (config hash, data digest, task, sweep point…) always gets the same
   * key and a retried or resumed run continues its own MLflow run.
   */
  public static String of(String... parts) {
    checkArgument(parts.length > 0, "a run key needs at least one part");
    Hasher hasher = Hashing.sha256().newHasher();
    for (String part : parts) {
      checkArgument(part != null, "run key parts must not be null");
      hasher.putInt(part.length()).putString(part, StandardCharsets.UTF_8);
    }
    return hasher.hash().toString().substring(0, 32);
  }
}
