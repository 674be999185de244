package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A dataset used by a run, logged through MLflow's {@code runs/log-inputs}. The pair
 * {@code (name, digest)} identifies the dataset; logging it twice to a run records it once.
 *
 * @param name dataset name, e.g. {@code glue/sst2/train}
 * @param digest content digest (e.g. the first hex characters of a SHA-256 of the data)
 * @param sourceType kind of source, e.g. {@code local}
 * @param source JSON describing where the data came from, e.g. {@code {"uri":"file:///…"}}
 * @param schema JSON schema of the records, or {@code ""}
 * @param profile JSON profile (row counts, token-length stats), or {@code ""}
 * @param context role of the dataset in the run, e.g. {@code train} or {@code eval}; {@code ""}
 *     for none
 */
public record DatasetInput(
    String name, String digest, String sourceType, String source, String schema, String profile, String context) {

  public DatasetInput {
    checkNotNull(name, "dataset name must not be null");
    checkNotNull(digest, "dataset digest must not be null");
    checkArgument(!name.isBlank(), "dataset name must not be blank");
    checkArgument(!digest.isBlank(), "dataset digest must not be blank");
    checkArgument(digest.length() <= 36, "dataset digest must be at most 36 characters, got %s", digest.length());
    sourceType = sourceType == null || sourceType.isBlank() ? "local" : sourceType;
    source = source == null ? "" : source;
    schema = schema == null ? "" : schema;
    profile = profile == null ? "" : profile;
    context = context == null ? "" : context;
  }
}
