package io.slaft.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.runners.FlinkMaster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only client of a Flink JobManager's REST API. Thread-safe. Every call has a 5 s timeout and throws
 * {@link IOException} if the JobManager does not answer or answers with an error status.
 */
public final class FlinkRestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI base;
  private final HttpClient http;

  /** A client of the REST endpoint at {@code master}. */
  public FlinkRestClient(FlinkMaster master) {
    this.base = URI.create("http://" + master.host() + ":" + master.port());
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** {@code GET /overview}. */
  public ClusterOverview overview() throws IOException {
    JsonNode n = get("/overview");
    return new ClusterOverview(n.path("taskmanagers").asInt(), n.path("slots-total").asInt(),
        n.path("slots-available").asInt(), n.path("jobs-running").asInt(), n.path("jobs-finished").asInt(),
        n.path("jobs-cancelled").asInt(), n.path("jobs-failed").asInt(), n.path("flink-version").asText(""));
  }

  /** The ids of the registered TaskManagers ({@code GET /taskmanagers}). */
  public List<String> taskManagerIds() throws IOException {
    List<String> ids = new ArrayList<>();
    for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
      ids.add(tm.path("id").asText());
    }
    return ids;
  }

  /** Every job's id and state ({@code GET /jobs}), e.g. {@code RUNNING}, {@code FINISHED}, {@code RESTARTING}. */
  public List<JobState> jobs() throws IOException {
    List<JobState> jobs = new ArrayList<>();
    for (JsonNode j : get("/jobs").path("jobs")) {
      jobs.add(new JobState(j.path("id").asText(), j.path("status").asText()));
    }
    return jobs;
  }

  /**
   * For each vertex of job {@code jobId} whose name contains {@code nameContains}: the records each TaskManager's
   * subtasks of it read ({@code GET /jobs/:id} and {@code /jobs/:id/vertices/:vid/taskmanagers}, metric
   * {@code read-records}), keyed by vertex name, then TaskManager id.
   */
  public java.util.Map<String, java.util.Map<String, Long>> recordsReadByTaskManager(String jobId, String nameContains)
      throws IOException {
    java.util.Map<String, java.util.Map<String, Long>> out = new java.util.LinkedHashMap<>();
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      String name = v.path("name").asText();
      if (!name.contains(nameContains)) {
        continue;
      }
      java.util.Map<String, Long> byTm = new java.util.TreeMap<>();
      for (JsonNode tm : get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers").path("taskmanagers")) {
        byTm.merge(tm.path("taskmanager-id").asText(), tm.path("metrics").path("read-records").asLong(), Long::sum);
      }
      out.put(name, byTm);
    }
    return out;
  }

  /**
   * A job's id and state as the REST API reports it.
   *
   * @param id the Flink job id
   * @param status Flink's {@code JobStatus} name
   */
  public record JobState(String id, String status) {}

  private JsonNode get(String path) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("GET " + base.resolve(path) + " answered " + r.statusCode() + ": " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during GET " + base.resolve(path), e);
    }
  }
}
