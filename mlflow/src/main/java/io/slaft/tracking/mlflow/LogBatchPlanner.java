package io.slaft.tracking.mlflow;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.slaft.tracking.MetricPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits metrics, params and tags into {@code runs/log-batch} requests within MLflow's limits:
 * at most {@value #MAX_METRICS} metrics, {@value #MAX_PARAMS} params, {@value #MAX_TAGS} tags,
 * {@value #MAX_ENTITIES} entities in total and {@value #MAX_REQUEST_BYTES} bytes of JSON (estimated
 * pessimistically) per request. Params travel in requests of their own, so a rejected param cannot
 * take metrics down with it. Order within each kind is kept.
 */
final class LogBatchPlanner {

  static final int MAX_METRICS = 1000;
  static final int MAX_PARAMS = 100;
  static final int MAX_TAGS = 100;
  static final int MAX_ENTITIES = 1000;
  static final int MAX_REQUEST_BYTES = 1_000_000;
  /** Head room below the server's limit for the request envelope and estimation error. */
  static final int BUDGET_BYTES = 900_000;

  private LogBatchPlanner() {}

  /** One request. */
  record Request(List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {

    int entities() {
      return metrics.size() + params.size() + tags.size();
    }
  }

  static List<Request> plan(List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {
    List<Request> out = new ArrayList<>();
    Builder b = new Builder();
    for (Map.Entry<String, String> p : params.entrySet()) {
      long size = 40 + jsonLength(p.getKey()) + jsonLength(p.getValue());
      if (b.params.size() >= MAX_PARAMS || b.bytes + size > BUDGET_BYTES) {
        b.emitTo(out);
      }
      b.params.put(p.getKey(), p.getValue());
      b.bytes += size;
    }
    b.emitTo(out);
    for (Map.Entry<String, String> t : tags.entrySet()) {
      long size = 40 + jsonLength(t.getKey()) + jsonLength(t.getValue());
      if (b.tags.size() >= MAX_TAGS || b.entities() >= MAX_ENTITIES || b.bytes + size > BUDGET_BYTES) {
        b.emitTo(out);
      }
      b.tags.put(t.getKey(), t.getValue());
      b.bytes += size;
    }
    for (MetricPoint m : metrics) {
      long size = 110 + jsonLength(m.key());
      if (b.metrics.size() >= MAX_METRICS || b.entities() >= MAX_ENTITIES || b.bytes + size > BUDGET_BYTES) {
        b.emitTo(out);
      }
      b.metrics.add(m);
      b.bytes += size;
    }
    b.emitTo(out);
    return out;
  }

  /** Upper bound of the JSON-encoded length of {@code s}, quotes excluded. */
  static long jsonLength(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        n += 2;
      } else if (c < 0x20 || c >= 0x80) {
        n += 6;
      } else {
        n += 1;
      }
    }
    return n;
  }

  private static final class Builder {
    final List<MetricPoint> metrics = new ArrayList<>();
    final Map<String, String> params = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    long bytes = 64;

    int entities() {
      return metrics.size() + params.size() + tags.size();
    }

    void emitTo(List<Request> out) {
      if (entities() > 0) {
        out.add(new Request(ImmutableList.copyOf(metrics), ImmutableMap.copyOf(params), ImmutableMap.copyOf(tags)));
      }
      metrics.clear();
      params.clear();
      tags.clear();
      bytes = 64;
    }
  }
}
