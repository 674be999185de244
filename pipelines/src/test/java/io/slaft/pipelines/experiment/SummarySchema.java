package io.slaft.pipelines.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Checks a {@code summary.json} against the committed JSON Schema ({@link RunSummary#SCHEMA}); shared with runners' tests. */
public final class SummarySchema {
  private static final Schema SCHEMA = load();

  private SummarySchema() {}

  private static Schema load() {
    try (InputStream in = RunSummary.class.getResourceAsStream(RunSummary.SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + RunSummary.SCHEMA);
      }
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema violations of {@code summary} (empty when valid). */
  public static List<String> violations(JsonNode summary) {
    return SCHEMA.validate(summary).stream().map(Error::toString).toList();
  }

  /** Fails, listing every violation, unless the file satisfies the schema. */
  public static void assertValid(Path summary) {
    try {
      List<String> v = violations(RunSummary.json().readTree(summary.toFile()));
      assertTrue(v.isEmpty(), summary + " violates " + RunSummary.SCHEMA + ": " + v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
