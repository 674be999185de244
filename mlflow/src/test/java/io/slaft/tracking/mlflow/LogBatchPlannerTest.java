package io.slaft.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.tracking.MetricPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogBatchPlannerTest {

  private static long estimatedBytes(LogBatchPlanner.Request r) {
    long bytes = 64;
    for (var p : r.params().entrySet()) {
      bytes += 40 + LogBatchPlanner.jsonLength(p.getKey()) + LogBatchPlanner.jsonLength(p.getValue());
    }
    for (var t : r.tags().entrySet()) {
      bytes += 40 + LogBatchPlanner.jsonLength(t.getKey()) + LogBatchPlanner.jsonLength(t.getValue());
    }
    for (MetricPoint m : r.metrics()) {
      bytes += 110 + LogBatchPlanner.jsonLength(m.key());
    }
    return bytes;
  }

  @Test
  void respectsCountLimitsAndKeepsEveryEntityOnceInOrder() {
    List<MetricPoint> metrics = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      metrics.add(new MetricPoint("m" + (i % 7), i, i, i));
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < 250; i++) {
      params.put("p" + i, "v");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) {
      tags.put("t" + i, "v");
    }
    List<LogBatchPlanner.Request> plan = LogBatchPlanner.plan(metrics, params, tags);
    List<MetricPoint> allMetrics = new ArrayList<>();
    Map<String, String> allParams = new LinkedHashMap<>();
    Map<String, String> allTags = new LinkedHashMap<>();
    for (LogBatchPlanner.Request r : plan) {
      assertTrue(r.metrics().size() <= 1000);
      assertTrue(r.params().size() <= 100);
      assertTrue(r.tags().size() <= 100);
      assertTrue(r.entities() <= 1000);
      assertTrue(r.params().isEmpty() || (r.metrics().isEmpty() && r.tags().isEmpty()), "params travel alone");
      allMetrics.addAll(r.metrics());
      allParams.putAll(r.params());
      allTags.putAll(r.tags());
    }
    assertEquals(metrics, allMetrics);
    assertEquals(List.copyOf(params.keySet()), List.copyOf(allParams.keySet()));
    assertEquals(tags, allTags);
    assertEquals(3 + 4, plan.size(), "3 param requests; tags 100 | 50 tags + 950 metrics | 1000 | 550");
  }

  @Test
  void splitsByRequestSizeForLongNonAsciiValues() {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      params.put("p" + i, "é".repeat(6000));
    }
    List<LogBatchPlanner.Request> plan = LogBatchPlanner.plan(List.of(), params, Map.of());
    assertTrue(plan.size() >= 4, "100 × 36 KB must not fit into one 1 MB request");
    int total = 0;
    for (LogBatchPlanner.Request r : plan) {
      assertTrue(estimatedBytes(r) <= LogBatchPlanner.MAX_REQUEST_BYTES, "request over 1 MB");
      total += r.params().size();
    }
    assertEquals(100, total);
  }

  @Test
  void jsonLengthIsAnUpperBoundOfTheUtf8Encoding() {
    for (String s : List.of("plain", "quote\"back\\slash", "tab\tnew\nline", "ünïcödé", "emoji 😀", "中文")) {
      String escaped = s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t").replace("\n", "\\n");
      assertTrue(LogBatchPlanner.jsonLength(s) >= escaped.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, s);
    }
  }

  @Test
  void emptyInputPlansNoRequest() {
    assertEquals(List.of(), LogBatchPlanner.plan(List.of(), Map.of(), Map.of()));
  }
}
