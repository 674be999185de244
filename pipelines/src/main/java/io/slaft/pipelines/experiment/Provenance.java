package io.slaft.pipelines.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slaft.pipelines.config.ConfigKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What makes a run reproducible: config hash, data digests, seed, code version (git commit, with
 * a {@code -dirty} suffix for uncommitted changes), backbone digest and precision (as resolved on the
 * CPU that trained), and the labels tasks took from
 * their training files (their class order is not in the config; serialized only when there are
 * any, so other summaries keep their form).
 */
public record Provenance(String configHash, Map<String, String> dataDigests, long seed, String gitCommit,
    String backbone, String backboneDigest, String backbonePrecision, String slaftVersion,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<InferredLabels> inferredLabels) {

  public static final String VERSION = "0.1.0";

  public Provenance {
    inferredLabels = List.copyOf(inferredLabels);
  }

  /** The provenance of training {@code config} on {@code data} with {@code backbone}. */
  public static Provenance of(io.slaft.pipelines.config.ExperimentConfig config, LoadedTasks data,
      io.slaft.model.backbone.Backbone backbone) {
    return new Provenance(config.hash(), data.digests(), config.get(ConfigKeys.SEED), currentCommit(), backbone.name(),
        backbone.weights().digest().substring(0, 16), backbone.precision().id(), VERSION, data.inferredLabels());
  }

  /** As flat tags/params ({@code slaft.config_hash}, ...). */
  public Map<String, String> asTags() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("slaft.config_hash", configHash);
    m.put("slaft.seed", Long.toString(seed));
    m.put("slaft.git_commit", gitCommit);
    m.put("slaft.backbone", backbone);
    m.put("slaft.backbone_digest", backboneDigest);
    m.put("slaft.backbone_precision", backbonePrecision);
    m.put("slaft.version", slaftVersion);
    dataDigests.forEach((k, v) -> m.put("slaft.data_digest." + k, v));
    return m;
  }

  private static volatile String commit;

  /** The git commit of the slaft checkout ({@code slaft.home} or the working directory), or "unknown". */
  public static String currentCommit() {
    if (commit != null) {
      return commit;
    }
    String home = System.getProperty("slaft.home", ".");
    String head = git(Path.of(home), "rev-parse", "HEAD");
    if (head == null) {
      commit = "unknown";
      return commit;
    }
    String status = git(Path.of(home), "status", "--porcelain", "--untracked-files=no");
    commit = head + (status != null && !status.isBlank() ? "-dirty" : "");
    return commit;
  }

  private static String git(Path dir, String... args) {
    try {
      String[] cmd = new String[args.length + 3];
      cmd[0] = "git";
      cmd[1] = "-C";
      cmd[2] = dir.toString();
      System.arraycopy(args, 0, cmd, 3, args.length);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
