package io.slaft.model.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Values and AdamW state of every trainable tensor: one copy per shared {@link Slot}, one per
 * task for per-task slots (gate/activation/channel logits, heads). Not thread-safe: owned by one
 * trainer.
 */
public final class ParamStore {
  /** One trainable tensor with its optimizer state. */
  public static final class Param {
    final Slot slot;
    final String key;
    final float[] value;
    final float[] m;
    final float[] v;
    int steps;

    Param(Slot slot, String key, float[] value) {
      this.slot = slot;
      this.key = key;
      this.value = value;
      this.m = new float[value.length];
      this.v = new float[value.length];
    }

    public Slot slot() {
      return slot;
    }

    /** The live values (do not modify outside the optimizer). */
    public float[] value() {
      return value;
    }
  }

  private final Map<String, Param> params = new LinkedHashMap<>();

  /** Key of a slot's copy: the slot name, or {@code task/slot} for per-task slots. */
  public static String key(Slot s, String task) {
    return s.perTask() ? task + "/" + s.name() : s.name();
  }

  /** Creates every tensor with its initializer; deterministic in {@code seed}. */
  static ParamStore init(List<Slot> slots, List<String> tasks, ParamInit init, long seed) {
    ParamStore store = new ParamStore();
    for (Slot s : slots) {
      for (String task : s.perTask() ? tasks : List.of("")) {
        String key = key(s, task);
        SplittableRandom r = new SplittableRandom(seed ^ (key.hashCode() * 0x9E3779B97F4A7C15L));
        store.params.put(key, new Param(s, key, init.initial(s, task, r)));
      }
    }
    return store;
  }

  /** Initializer of a slot's values. */
  interface ParamInit {
    float[] initial(Slot slot, String task, SplittableRandom random);
  }

  public Param get(String key) {
    Param p = params.get(key);
    if (p == null) {
      throw new IllegalArgumentException("no parameter " + key);
    }
    return p;
  }

  public float[] value(Slot s, String task) {
    return get(key(s, task)).value;
  }

  public List<Param> all() {
    return new ArrayList<>(params.values());
  }

  /** Number of trainable values (not those of {@link Slot.Group#FROZEN} slots). */
  public long count() {
    long n = 0;
    for (Param p : params.values()) {
      if (p.slot.group().trained()) {
        n += p.value.length;
      }
    }
    return n;
  }

  /** A copy of every value (for keeping the best checkpoint in memory). */
  public Map<String, float[]> snapshot() {
    Map<String, float[]> s = new LinkedHashMap<>();
    for (Param p : params.values()) {
      s.put(p.key, p.value.clone());
    }
    return s;
  }

  /** Restores values from a snapshot (optimizer state untouched). */
  public void restore(Map<String, float[]> snapshot) {
    for (Map.Entry<String, float[]> e : snapshot.entrySet()) {
      float[] dst = get(e.getKey()).value;
      System.arraycopy(e.getValue(), 0, dst, 0, dst.length);
    }
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(params.size());
    for (Param p : params.values()) {
      out.writeUTF(p.key);
      out.writeInt(p.steps);
      writeArray(out, p.value);
      writeArray(out, p.m);
      writeArray(out, p.v);
    }
  }

  void read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n != params.size()) {
      throw new IOException("checkpoint has " + n + " tensors, this run has " + params.size() + " (different config?)");
    }
    for (int i = 0; i < n; i++) {
      Param p = get(in.readUTF());
      p.steps = in.readInt();
      readArray(in, p.value);
      readArray(in, p.m);
      readArray(in, p.v);
    }
  }

  static void writeArray(DataOutputStream out, float[] a) throws IOException {
    out.writeInt(a.length);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(a.length * 4);
    b.asFloatBuffer().put(a);
    out.write(b.array());
  }

  static void readArray(DataInputStream in, float[] a) throws IOException {
    int n = in.readInt();
    if (n != a.length) {
      throw new IOException("tensor size " + n + " does not match " + a.length);
    }
    byte[] bytes = new byte[n * 4];
    in.readFully(bytes);
    java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
  }
}
