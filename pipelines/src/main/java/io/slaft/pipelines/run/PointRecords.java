package io.slaft.pipelines.run;

import com.fasterxml.jackson.core.type.TypeReference;
import io.slaft.pipelines.experiment.RunSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * What the train stage hands to the report stage for one sweep point: the point id, whether the
 * result came from the step cache, and its run records (one per task, the {@code records} of
 * {@code summary.json}, see {@link io.slaft.pipelines.experiment.RunRecord}). Immutable; {@link
 * #CODER} encodes it between workers.
 */
public final class PointRecords {
  private final String pointId;
  private final boolean cacheHit;
  private final List<Map<String, Object>> records;

  public PointRecords(String pointId, boolean cacheHit, List<Map<String, Object>> records) {
    this.pointId = Objects.requireNonNull(pointId, "pointId");
    this.cacheHit = cacheHit;
    this.records = List.copyOf(records);
  }

  public String pointId() {
    return pointId;
  }

  public boolean cacheHit() {
    return cacheHit;
  }

  public List<Map<String, Object>> records() {
    return records;
  }

  /** Every point's records in one list, ordered by point id then task (the order of {@code summary.json}). */
  public static List<Map<String, Object>> ordered(Iterable<PointRecords> points) {
    java.util.ArrayList<Map<String, Object>> all = new java.util.ArrayList<>();
    points.forEach(p -> all.addAll(p.records()));
    all.sort(Comparator.comparing(r -> r.get("point_id") + "/" + r.get("task")));
    return all;
  }

  /** Point id, cache flag, then the records as JSON (the summary's own serialization of them). */
  public static final AtomicCoder<PointRecords> CODER = new AtomicCoder<>() {
    @Override
    public void encode(PointRecords value, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value.pointId, out);
      BooleanCoder.of().encode(value.cacheHit, out);
      StringUtf8Coder.of().encode(RunSummary.json().writeValueAsString(value.records), out);
    }

    @Override
    public PointRecords decode(InputStream in) throws IOException {
      String id = StringUtf8Coder.of().decode(in);
      boolean hit = BooleanCoder.of().decode(in);
      return new PointRecords(id, hit, parse(StringUtf8Coder.of().decode(in)));
    }
  };

  /** Records from their JSON form (the step cache stores them so). */
  static List<Map<String, Object>> parse(String json) {
    try {
      return RunSummary.json().readValue(json, new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PointRecords p && p.pointId.equals(pointId) && p.cacheHit == cacheHit && p.records.equals(records);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pointId, cacheHit, records);
  }

  @Override
  public String toString() {
    return "PointRecords{" + pointId + (cacheHit ? ", cached" : "") + ", " + records.size() + " record(s)}";
  }
}
