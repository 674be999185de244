package io.slaft.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedJsonTest {
  @TempDir Path dir;

  private static ObjectNode doc() {
    ObjectNode d = SealedJson.mapper().createObjectNode();
    d.put("config_hash", "abc");
    ObjectNode rec = d.putObject("record");
    rec.put("accuracy", 0.8268348623853211);
    rec.put("f", 0.1f);
    rec.put("steps", 500);
    rec.put("big", 1L << 40);
    rec.putArray("kept").add("L0.ffn").add("L3.lora");
    rec.put("mcc", Double.NaN);
    return d;
  }

  @Test
  void roundTripsWithTheChecksumLast() throws IOException {
    Path f = dir.resolve("cell.json");
    SealedJson.write(f, doc());
    ObjectNode back = SealedJson.read(f, "");
    assertEquals(0.8268348623853211, back.get("record").get("accuracy").doubleValue());
    assertEquals(1L << 40, back.get("record").get("big").longValue());
    assertEquals("NaN", back.get("record").get("mcc").asText());
    assertEquals(SealedJson.read(f, ""), back);
    String text = Files.readString(f);
    assertTrue(text.trim().matches("(?s)\\{.*\"sha256\" : \"[0-9a-f]{64}\"\\s*}"), text);
  }

  @Test
  void anEditedValueOrAMissingChecksumIsCorrupt() throws IOException {
    Path f = dir.resolve("cell.json");
    SealedJson.write(f, doc());
    String text = Files.readString(f);
    Files.writeString(f, text.replace("0.8268348623853211", "0.9268348623853211"));
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> SealedJson.read(f, "delete it to recompute the cell"));
    assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().endsWith("delete it to recompute the cell"), e.getMessage());
    Files.writeString(f, "{\"a\": 1}");
    assertTrue(assertThrows(CorruptFileException.class, () -> SealedJson.read(f, "")).getMessage().contains("no sha256"));
    Files.writeString(f, "{\"a\": ");
    assertTrue(assertThrows(CorruptFileException.class, () -> SealedJson.read(f, "")).getMessage().contains("not valid JSON"));
    Files.writeString(f, "[1]");
    assertThrows(CorruptFileException.class, () -> SealedJson.read(f, ""));
  }
}
