package io.slaft.pipelines.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adversarial config files: seeded random bytes and mutated example configs, a 10 MB scalar, YAML
 * nested 100 000 levels deep, alias bombs, self-referring aliases, NUL bytes, byte-order marks,
 * invalid UTF-8, empty and non-mapping files and duplicate keys. {@link ExperimentConfig#load} must
 * return within {@link #BOUND} with a config or a {@link ConfigException} whose one-line message
 * names the file and stays short, never with another exception (a SnakeYAML one, a {@link
 * StackOverflowError}, an {@link OutOfMemoryError}).
 */
class ExperimentConfigFuzzTest {

  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final int MAX_MESSAGE = 1200;

  @TempDir Path dir;
  private int files;

  /** What one load produced: the config, or the refusal's message. */
  private record Outcome(Path file, @Nullable ExperimentConfig config, @Nullable String refusal) {
    String refused() {
      assertNotNull(refusal, file + " was loaded, but should have been refused");
      return refusal;
    }
  }

  private Outcome load(byte[] content) throws IOException {
    Path file = dir.resolve("c" + (files++) + ".yaml");
    Files.write(file, content);
    Outcome o =
        assertTimeoutPreemptively(
            BOUND,
            () -> {
              try {
                return new Outcome(file, ExperimentConfig.load(file), null);
              } catch (ConfigException e) {
                return new Outcome(file, null, e.getMessage());
              }
            },
            () -> "loading " + file + " did not finish within " + BOUND);
    if (o.refusal != null) {
      assertTrue(o.refusal.startsWith(file.toString()), "the message does not start with the file: " + o.refusal);
      assertTrue(o.refusal.length() <= MAX_MESSAGE, "message of " + o.refusal.length() + " characters");
      assertTrue(o.refusal.chars().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT),
          "the message holds control or invisible characters: " + o.refusal);
    }
    return o;
  }

  private Outcome load(String yaml) throws IOException {
    return load(yaml.getBytes(UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  // ---- seeded random and mutated input ----

  private static final String[] YAMLISH = {
    ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b", "<<: ", "? ", "!!str ", "!!binary ",
    "!!set ", "!!python/object ", "---\n", "...\n", "#", "'", "\"", "|\n", ">\n", "\t", "\0", "\uFEFF", "~", "null",
    "name", "tasks", "sweep", "grid", "seeds", "sparsity.lambda", "1e999", "0x1F", "2001-01-01", "yes", "\\", "%YAML 1.1\n"
  };

  private static byte[] yamlish(Random rnd, int tokens) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      b.append(rnd.nextInt(4) == 0 ? String.valueOf((char) ('a' + rnd.nextInt(26))) : YAMLISH[rnd.nextInt(YAMLISH.length)]);
    }
    return b.toString().getBytes(UTF_8);
  }

  @Test
  void randomBytesAreRefusedCleanly() throws IOException {
    for (long seed = 1; seed <= 20; seed++) {
      Random rnd = new Random(seed);
      byte[] noise = new byte[1 + rnd.nextInt(16 * 1024)];
      rnd.nextBytes(noise);
      load(noise).refused();
    }
  }

  @Test
  void randomYamlishTextLoadsOrIsRefusedCleanly() throws IOException {
    int refused = 0;
    for (long seed = 1; seed <= 200; seed++) {
      Random rnd = new Random(seed);
      if (load(yamlish(rnd, 1 + rnd.nextInt(400))).refusal != null) {
        refused++;
      }
    }
    assertTrue(refused > 150, "random YAML should almost never be a valid config: " + refused + " of 200 refused");
  }

  private static List<Path> examples() throws IOException {
    Path root = Path.of(System.getProperty("user.dir")).getParent().resolve("examples");
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void mutatedExampleConfigsLoadOrAreRefusedCleanly() throws IOException {
    List<Path> examples = examples();
    assertFalse(examples.isEmpty(), "no example configs found");
    for (Path example : examples) {
      byte[] valid = Files.readAllBytes(example);
      Outcome clean = load(valid);
      assertNotNull(clean.config, example + " must load: " + clean.refusal);
      for (long seed = 1; seed <= 15; seed++) {
        Random rnd = new Random(seed * 31 + example.getFileName().toString().hashCode());
        List<Byte> b = new ArrayList<>();
        for (byte x : valid) {
          b.add(x);
        }
        for (int m = 0, n = 1 + rnd.nextInt(10); m < n; m++) {
          int at = rnd.nextInt(b.size() + 1);
          if (rnd.nextBoolean() && at < b.size()) {
            b.remove(at);
          }
          byte[] ins = rnd.nextInt(4) == 0 ? new byte[] {(byte) rnd.nextInt(256)} : YAMLISH[rnd.nextInt(YAMLISH.length)].getBytes(UTF_8);
          for (int i = ins.length - 1; i >= 0; i--) {
            b.add(at, ins[i]);
          }
        }
        byte[] mutated = new byte[b.size()];
        for (int i = 0; i < mutated.length; i++) {
          mutated[i] = b.get(i);
        }
        load(mutated);
      }
    }
  }

  // ---- size ----

  @Test
  void aTenMegabyteScalarIsRefusedQuicklyNamingTheLimit() throws IOException {
    long start = System.nanoTime();
    String m = load("name: " + "x".repeat(10 << 20) + "\n").refused();
    assertTrue(m.contains(Integer.toString(ExperimentConfig.MAX_CONFIG_BYTES)), m);
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "refusing a large file took too long");
  }

  @Test
  void longValuesAndKeysAreClippedInMessages() throws IOException {
    String big = "y".repeat(900_000);
    String gate = load("sparsity:\n  gate: " + big + "\n").refused();
    assertTrue(gate.contains("sparsity.gate"), gate);
    assertTrue(gate.contains("(900000 characters)"), gate);
    // YAML allows keys over 1024 characters only in the explicit "? key" form.
    String key = load("? k" + big + "\n: 1\n").refused();
    assertTrue(key.contains("unknown key") && key.contains("(900001 characters)"), key);
  }

  // ---- nesting and aliases ----

  @Test
  void deepNestingIsRefused() throws IOException {
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      block.append(" ".repeat(i)).append("a:\n");
    }
    for (String yaml : List.of("name: " + "[".repeat(100_000) + "\n", "name: " + "{a: ".repeat(100_000) + "\n",
        "- ".repeat(100_000) + "x\n", block.toString())) {
      String m = load(yaml).refused();
      assertTrue(m.contains(Integer.toString(ExperimentConfig.MAX_YAML_DEPTH)), m);
    }
  }

  @Test
  void aBillionLaughsIsRefused() throws IOException {
    StringBuilder lol = new StringBuilder("a: &a [" + String.join(",", Collections.nCopies(9, "\"lol\"")) + "]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      lol.append(c).append(": &").append(c).append(" [").append(String.join(",", Collections.nCopies(9, "*" + (char) (c - 1))))
          .append("]\n");
    }
    String m = load(lol.toString()).refused();
    assertTrue(m.contains("aliases"), m);
  }

  @Test
  void aliasesOfLongScalarsCannotExpandWithoutBound() throws IOException {
    // Scalar aliases are not counted by SnakeYAML: 40 000 references to 20 KB are 800 MB flattened.
    String yaml = "tasks: &a " + "x".repeat(20_000) + "\nsweep:\n  grid:\n    seed: [" + String.join(",", Collections.nCopies(40_000, "*a"))
        + "]\n";
    String m = load(yaml).refused();
    assertTrue(m.contains("sweep.grid.seed") && m.contains(Integer.toString(ExperimentConfig.MAX_FLAT_CHARS)), m);
  }

  @Test
  void anAliasInsideWhatItNamesIsRefused() throws IOException {
    for (String yaml : List.of("a: &a {b: *a}\n", "tasks: &a [{b: *a}]\n", "tasks: &a [x, [y, *a]]\n")) {
      String m = load(yaml).refused();
      assertTrue(m.contains("contains itself"), m);
    }
  }

  @Test
  void anchorsMergesAndAliasesOfScalarsStillWork() throws IOException {
    // A merged key overridden in its mapping is not a duplicate.
    Outcome o = load("name: &n demo\ntracking:\n  experiment: *n\nsparsity:\n  <<: {lambda: 0.5, gate: sigmoid}\n  lambda: 0.7\n");
    assertNotNull(o.config, o.refusal);
    assertEquals("demo", o.config.raw("tracking.experiment"));
    assertEquals("0.7", o.config.raw("sparsity.lambda"));
    assertEquals("sigmoid", o.config.raw("sparsity.gate"));
  }

  // ---- characters ----

  @Test
  void nulBytesAreRefusedWithTheLine() throws IOException {
    String m = load("name: demo\nseed: 1\u0000\n").refused();
    assertTrue(m.contains("line 2") && m.contains("U+0000"), m);
  }

  @Test
  void aByteOrderMarkAtTheStartIsIgnoredAndElsewhereIsShown() throws IOException {
    String yaml = "name: demo\nseed: 3\n";
    Outcome plain = load(yaml);
    Outcome bom = load(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, yaml.getBytes(UTF_8)));
    assertNotNull(bom.config, bom.refusal);
    assertEquals(plain.config.hash(), bom.config.hash());
    String m = load("name: demo\n\uFEFFseed: 3\n").refused();
    assertTrue(m.contains("unknown key '\\uFEFFseed'"), m);
  }

  @Test
  void invalidUtf8IsRefusedWithTheLine() throws IOException {
    for (byte[] bad : List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
      String m = load(concat("name: demo\ntasks: [sst".getBytes(UTF_8), bad, "2]\n".getBytes(UTF_8))).refused();
      assertTrue(m.contains("line 2") && m.contains("UTF-8"), m);
    }
    String utf16 = load(concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "name: demo\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE)))
        .refused();
    assertTrue(utf16.contains("UTF-8"), utf16);
  }

  // ---- shape ----

  @Test
  void emptyConfigsAreRefused() throws IOException {
    for (String yaml : List.of("", "\n\n", "# only a comment\n", "~\n", "---\n", "{}\n")) {
      String m = load(yaml).refused();
      assertTrue(m.contains("empty"), m);
    }
  }

  @Test
  void aTopLevelThatIsNotAMappingIsRefused() throws IOException {
    assertTrue(load("just a sentence\n").refused().contains("not a single value"));
    assertTrue(load("- name: demo\n- seed: 1\n").refused().contains("not a list"));
    assertTrue(load("name: a\n---\nname: b\n").refused().contains("single document"));
  }

  @Test
  void duplicateKeysAreRefusedNamingTheKey() throws IOException {
    String top = load("name: a\nseed: 1\nname: b\n").refused();
    assertTrue(top.contains("duplicate key name") && top.contains("line 3"), top);
    String nested = load("sparsity:\n  lambda: 1\n  lambda: 2\n").refused();
    assertTrue(nested.contains("duplicate key lambda"), nested);
    String mixed = load("sweep:\n  seeds: [1]\nsweep.seeds: [2]\n").refused();
    assertTrue(mixed.contains("'sweep.seeds' is set twice"), mixed);
  }
}
