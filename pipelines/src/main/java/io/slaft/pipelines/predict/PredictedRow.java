package io.slaft.pipelines.predict;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.Map;

/**
 * One prediction: the row it is for (task, id, file, line), the label (for regression the score
 * as text), the score (the label's probability, or the regression output), every class's
 * probability by label (empty for regression), and the model and version that made it. Written
 * as one JSON object per line by {@link PredictFiles}.
 */
@JsonPropertyOrder({"task", "id", "file", "line", "label", "score", "probabilities", "model", "version"})
public record PredictedRow(
    @JsonProperty("task") String task,
    @JsonProperty("id") String id,
    @JsonProperty("file") String file,
    @JsonProperty("line") long line,
    @JsonProperty("label") String label,
    @JsonProperty("score") double score,
    @JsonProperty("probabilities") Map<String, Double> probabilities,
    @JsonProperty("model") String model,
    @JsonProperty("version") String version) implements Serializable {
  public PredictedRow {
    probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
  }
}
