package io.slaft.pipelines.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a {@link PredictFiles} run wrote, read back from its output directory: the predictions
 * (all shards), and the read reports' rows, examples and dead letters summed over the input files.
 * {@link #balanced()} is the contract: rows read = predictions + dead letters.
 */
public record PredictOutput(long rows, long examples, long deadLetters, List<PredictedRow> predictions) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads {@code dir}. */
  public static PredictOutput read(Path dir) {
    long rows = 0;
    long examples = 0;
    long dead = 0;
    try {
      for (String line : Files.readAllLines(dir.resolve(PredictFiles.READ_REPORTS))) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        rows += n.get("rowsRead").asLong();
        examples += n.get("examples").asLong();
        dead += n.get("deadLetters").asLong();
      }
      List<PredictedRow> predictions = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(f -> f.getFileName().toString().startsWith(PredictFiles.PREDICTIONS + "-")
            && f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
          for (String line : Files.readAllLines(f)) {
            if (!line.isBlank()) {
              predictions.add(JSON.readValue(line, PredictedRow.class));
            }
          }
        }
      }
      return new PredictOutput(rows, examples, dead, List.copyOf(predictions));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the predictions in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Whether every row read is a prediction or a dead letter, and every example was predicted. */
  public boolean balanced() {
    return rows == predictions.size() + deadLetters && examples == predictions.size();
  }

  /** The line the CLI prints: {@code rows 12 = predictions 10 + dead letters 2}. */
  public String summary() {
    return String.format(Locale.ROOT, "rows %d = predictions %d + dead letters %d%s", rows, predictions.size(), deadLetters,
        balanced() ? "" : " -- NOT BALANCED: " + examples + " examples were read");
  }
}
