package io.slaft.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class PointRecordsTest {
  private static Map<String, Object> record(String point, String task, double acc) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("point_id", point);
    r.put("task", task);
    r.put("metrics", Map.of("accuracy", acc));
    r.put("structure", List.of(Map.of("module", "l0.attn", "active", true)));
    return r;
  }

  @Test
  void coderRoundTripsPointIdCacheFlagAndNestedRecords() throws Exception {
    PointRecords p = new PointRecords("1-abc", true, List.of(record("1-abc", "SST-2", 0.8125)));
    CoderProperties.coderDecodeEncodeEqual(PointRecords.CODER, p);
    CoderProperties.coderDecodeEncodeEqual(PointRecords.CODER, new PointRecords("0-x", false, List.of()));
  }

  @Test
  void orderedListsEveryRecordByPointThenTask() {
    List<Map<String, Object>> all = PointRecords.ordered(List.of(
        new PointRecords("1-b", false, List.of(record("1-b", "SST-2", 0.5), record("1-b", "MRPC", 0.6))),
        new PointRecords("0-a", true, List.of(record("0-a", "SST-2", 0.7)))));
    assertEquals(List.of("0-a/SST-2", "1-b/MRPC", "1-b/SST-2"),
        all.stream().map(r -> r.get("point_id") + "/" + r.get("task")).toList());
  }
}
