package io.slaft.transforms.cache;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The identity of a step's result: SHA-256 over the stage name, its parameters (sorted by key), the
 * digests of its inputs (in the order given) and the code version. Every part is length-prefixed,
 * so no two different tuples share an encoding. Immutable.
 */
public final class CacheKey implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String stage;
  private final ImmutableSortedMap<String, String> params;
  private final ImmutableList<String> inputs;
  private final String codeVersion;
  private final String hex;

  private CacheKey(String stage, Map<String, String> params, List<String> inputs, String codeVersion) {
    this.stage = stage;
    this.params = ImmutableSortedMap.copyOf(params);
    this.inputs = ImmutableList.copyOf(inputs);
    this.codeVersion = codeVersion;
    this.hex = digest();
  }

  /** Starts a key for {@code stage} (non-blank, e.g. {@code prepare/SST-2}). */
  public static Builder builder(String stage) {
    return new Builder(stage);
  }

  private String digest() {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    put(md, "slaft-cache-v1");
    put(md, stage);
    put(md, Integer.toString(params.size()));
    params.forEach((k, v) -> {
      put(md, k);
      put(md, v);
    });
    put(md, Integer.toString(inputs.size()));
    inputs.forEach(i -> put(md, i));
    put(md, codeVersion);
    return HexFormat.of().formatHex(md.digest());
  }

  private static void put(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
    md.update((byte) ':');
    md.update(b);
  }

  /** The 64-hex-digit SHA-256. */
  public String hex() {
    return hex;
  }

  public String stage() {
    return stage;
  }

  public Map<String, String> params() {
    return params;
  }

  public List<String> inputs() {
    return inputs;
  }

  public String codeVersion() {
    return codeVersion;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CacheKey && hex.equals(((CacheKey) o).hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @Override
  public String toString() {
    return stage + "@" + hex.substring(0, 12);
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private final String stage;
    private final Map<String, String> params = new TreeMap<>();
    private final List<String> inputs = new ArrayList<>();
    private @Nullable String codeVersion;

    private Builder(String stage) {
      checkArgument(stage != null && !stage.isBlank(), "a cache key needs a non-blank stage name");
      this.stage = stage;
    }

    public Builder param(String key, Object value) {
      checkArgument(key != null && !key.isEmpty(), "parameter keys must be non-empty");
      checkArgument(!params.containsKey(key), "parameter %s is given twice", key);
      params.put(key, String.valueOf(checkNotNull(value, "value of parameter %s", key)));
      return this;
    }

    public Builder params(Map<String, String> values) {
      values.forEach(this::param);
      return this;
    }

    /** Adds an input digest, e.g. {@link DataDigest#hex()} or an upstream {@link CacheKey#hex()}. */
    public Builder input(String digest) {
      checkArgument(digest != null && !digest.isEmpty(), "input digests must be non-empty");
      inputs.add(digest);
      return this;
    }

    public Builder input(DataDigest digest) {
      return input(digest.hex());
    }

    /** The version of the code that computes the stage, e.g. a git commit or release. Required. */
    public Builder codeVersion(String version) {
      checkArgument(version != null && !version.isBlank(), "the code version must be non-blank");
      this.codeVersion = version;
      return this;
    }

    /** @throws IllegalStateException when the code version is missing */
    public CacheKey build() {
      if (codeVersion == null) {
        throw new IllegalStateException(
            "cache key for stage " + stage + " needs codeVersion(..), so that changed code never reuses old results");
      }
      return new CacheKey(stage, params, inputs, codeVersion);
    }
  }
}
