package io.slaft.transforms.data;

import com.google.common.collect.ImmutableMap;
import io.slaft.model.train.TaskNames;
import java.util.List;
import java.util.Map;

/**
 * Built-in {@link TaskSpec}s for the GLUE tasks under {@code <data root>/glue/} (see {@code
 * SOURCES.md} beside the data). Label orders follow the GLUE / Hugging Face {@code glue} datasets.
 *
 * <ul>
 *   <li>SST-2, RTE, WNLI: TSV with header; CoLA: TSV without header (source, label, annotation,
 *       sentence).
 *   <li>MRPC: TSV with header {@code Quality, #1 ID, #2 ID, #1 String, #2 String}; id = both ids.
 *   <li>STS-B: TSV with ten columns, {@code score} in [0, 5] (regression).
 *   <li>QNLI: train is the 10k JSON subset, dev is the official {@code dev.tsv}.
 *   <li>QQP, MNLI: 10k JSON subsets ({@code {"0": {"text_a", "text_b", "label"}}}); their dev is a
 *       held-out slice of GLUE train.
 * </ul>
 */
public final class GlueTasks {
  private static final ImmutableMap<String, TaskSpec> SPECS = build();

  private GlueTasks() {}

  /** The GLUE task names in their canonical spelling. */
  public static List<String> names() {
    return SPECS.keySet().asList();
  }

  /** Every built-in GLUE spec, in {@link #names()} order. */
  public static List<TaskSpec> all() {
    return SPECS.values().asList();
  }

  /**
   * The spec of a GLUE task; the name is matched by {@link TaskNames}, so {@code sst2}, {@code
   * SST-2} and {@code sts_b} work.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static TaskSpec spec(String name) {
    for (Map.Entry<String, TaskSpec> e : SPECS.entrySet()) {
      if (TaskNames.same(e.getKey(), name)) {
        return e.getValue();
      }
    }
    throw new IllegalArgumentException(
        "unknown GLUE task '" + name + "': use one of " + names());
  }

  private static ImmutableMap<String, TaskSpec> build() {
    ImmutableMap.Builder<String, TaskSpec> b = ImmutableMap.builder();
    ColumnMapping sst = ColumnMapping.of("sentence", "label");
    b.put(
        "SST-2",
        TaskSpec.builder("SST-2")
            .labels("0", "1")
            .file(Split.TRAIN, DataFile.tsv("glue/SST-2/train.tsv", sst))
            .file(Split.DEV, DataFile.tsv("glue/SST-2/dev.tsv", sst))
            .build());
    ColumnMapping cola = ColumnMapping.of(Column.at(3), Column.at(1));
    b.put(
        "CoLA",
        TaskSpec.builder("CoLA")
            .labels("0", "1")
            .file(Split.TRAIN, DataFile.tsv("glue/CoLA/train.tsv", cola).withoutHeader(4))
            .file(Split.DEV, DataFile.tsv("glue/CoLA/dev.tsv", cola).withoutHeader(4))
            .build());
    ColumnMapping mrpc =
        ColumnMapping.pair("#1 String", "#2 String", "Quality").withId("#1 ID", "#2 ID");
    b.put(
        "MRPC",
        TaskSpec.builder("MRPC")
            .labels("0", "1")
            .file(Split.TRAIN, DataFile.tsv("glue/MRPC/train.tsv", mrpc))
            .file(Split.DEV, DataFile.tsv("glue/MRPC/dev.tsv", mrpc))
            .build());
    ColumnMapping s12 = ColumnMapping.pair("sentence1", "sentence2", "label").withId("index");
    b.put(
        "RTE",
        TaskSpec.builder("RTE")
            .labels("entailment", "not_entailment")
            .file(Split.TRAIN, DataFile.tsv("glue/RTE/train.tsv", s12))
            .file(Split.DEV, DataFile.tsv("glue/RTE/dev.tsv", s12))
            .build());
    ColumnMapping stsb = ColumnMapping.pair("sentence1", "sentence2", "score").withId("index");
    b.put(
        "STS-B",
        TaskSpec.builder("STS-B")
            .regression(0.0, 5.0)
            .file(Split.TRAIN, DataFile.tsv("glue/STS-B/train.tsv", stsb))
            .file(Split.DEV, DataFile.tsv("glue/STS-B/dev.tsv", stsb))
            .build());
    ColumnMapping subset = ColumnMapping.pair("text_a", "text_b", "label");
    b.put(
        "QNLI",
        TaskSpec.builder("QNLI")
            .labels("entailment", "not_entailment")
            .file(Split.TRAIN, DataFile.json("glue/QNLI/subset_10k/train.json", subset))
            .file(
                Split.DEV,
                DataFile.tsv(
                    "glue/QNLI/dev.tsv",
                    ColumnMapping.pair("question", "sentence", "label").withId("index")))
            .build());
    b.put(
        "QQP",
        TaskSpec.builder("QQP")
            .labels("0", "1")
            .file(Split.TRAIN, DataFile.json("glue/QQP/subset_10k/train.json", subset))
            .file(Split.DEV, DataFile.json("glue/QQP/subset_10k/dev.json", subset))
            .build());
    b.put(
        "MNLI",
        TaskSpec.builder("MNLI")
            .labels("entailment", "neutral", "contradiction")
            .file(Split.TRAIN, DataFile.json("glue/MNLI/subset_10k/train.json", subset))
            .file(Split.DEV, DataFile.json("glue/MNLI/subset_10k/dev.json", subset))
            .build());
    b.put(
        "WNLI",
        TaskSpec.builder("WNLI")
            .labels("0", "1")
            .file(Split.TRAIN, DataFile.tsv("glue/WNLI/train.tsv", s12))
            .file(Split.DEV, DataFile.tsv("glue/WNLI/dev.tsv", s12))
            .build());
    return b.build();
  }
}
