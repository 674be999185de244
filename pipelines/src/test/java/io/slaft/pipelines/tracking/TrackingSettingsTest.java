package io.slaft.pipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.tracking.Tracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingSettingsTest {

  private static final String KEY = "tracking.system_metrics_interval_s";

  private static ExperimentConfig config(Map<String, String> values) {
    return ExperimentConfig.of("test", values);
  }

  @Test
  void systemMetricsIntervalDefaultsToTenSecondsAndZeroTurnsItOff(@TempDir Path out) {
    Map<String, String> server = Map.of("tracking.uri", "http://127.0.0.1:9");
    TrackingSettings byDefault = TrackingSettings.resolve(config(server), out);
    assertEquals(10, byDefault.systemMetricsIntervalS());
    assertEquals(Optional.of(Duration.ofSeconds(10)), byDefault.systemMetricsInterval());
    TrackingSettings three = TrackingSettings.resolve(config(Map.of("tracking.uri", "http://127.0.0.1:9", KEY, "3")), out);
    assertEquals(Optional.of(Duration.ofSeconds(3)), three.systemMetricsInterval());
    TrackingSettings off = TrackingSettings.resolve(config(Map.of("tracking.uri", "http://127.0.0.1:9", KEY, "0")), out);
    assertEquals(0, off.systemMetricsIntervalS());
    assertEquals(Optional.empty(), off.systemMetricsInterval());
    assertEquals(10, new TrackingSettings("http://h:1", "e", "spool").systemMetricsIntervalS(), "the old constructors keep working");
    assertEquals(10, new TrackingSettings("http://h:1", "e", "spool", 5, 30).systemMetricsIntervalS());
  }

  @Test
  void aNegativeIntervalIsRefusedNamingTheKeyAndTheRule() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of(KEY, "-1")));
    assertTrue(e.getMessage().contains(KEY) && e.getMessage().contains("must be in [0, 86400]"), e.getMessage());
    IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
        () -> new TrackingSettings("http://h:1", "e", "spool", 5, 30, -1));
    assertTrue(direct.getMessage().contains(KEY + " must be >= 0 (0 = off), got -1"), direct.getMessage());
  }

  @Test
  void theIntervalNeverChangesTheConfigHash() {
    ExperimentConfig c = config(Map.of("tasks", "sst2"));
    assertEquals(c.hash(), c.with(Map.of(KEY, "10")).hash(), "at its default");
    assertEquals(c.hash(), c.with(Map.of(KEY, "0")).hash(), "set: tracking.* keys are not part of a run's fingerprint");
    assertNotEquals(c.hash(), c.with(Map.of("seed", "7")).hash(), "the hash does see other keys");
  }

  @Test
  void settingsThatDifferOnlyInTheIntervalShareOneTracker(@TempDir Path spool) {
    TrackingSettings ten = new TrackingSettings(null, "e", spool.toString(), 5, 30, 10);
    TrackingSettings off = new TrackingSettings(null, "e", spool.toString(), 5, 30, 0);
    try {
      Tracker t = ten.tracker();
      assertSame(t, off.tracker(), "one tracker (and spool owner) per sink");
    } finally {
      off.close();
    }
    assertNull(ten.close(), "closed through either settings");
  }

  @Test
  void aBadRegistryNameOrAliasIsRefusedBeforeAnyWorkNamingTheKey(@TempDir Path out) {
    ConfigException name = assertThrows(ConfigException.class, () -> TrackingSettings.resolve(
        config(Map.of("tracking.uri", "http://127.0.0.1:9", "registry.model", "my model")), out));
    assertTrue(name.getMessage().contains("registry.model = 'my model' is not a registered model name"), name.getMessage());
    ConfigException alias = assertThrows(ConfigException.class, () -> TrackingSettings.resolve(
        config(Map.of("tracking.uri", "http://127.0.0.1:9", "registry.model", "sst2-adapter", "registry.alias", "1st")), out));
    assertTrue(alias.getMessage().contains("registry.alias = '1st' is not a model alias"), alias.getMessage());
    ConfigException noServer = assertThrows(ConfigException.class, () -> TrackingSettings.resolve(
        config(Map.of("tracking.uri", "none", "registry.model", "sst2-adapter")), out));
    assertTrue(noServer.getMessage().contains("needs a tracking server"), noServer.getMessage());
    assertEquals("http://127.0.0.1:9", TrackingSettings.resolve(config(Map.of("tracking.uri", "http://127.0.0.1:9",
        "registry.model", "sst2-adapter", "registry.alias", "prod_v2")), out).uri(), "a good name and alias pass");
  }
}
