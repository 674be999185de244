package io.slaft.transforms.data;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test fixtures under {@code src/test/resources} and the specs that read them. */
final class Fixtures {
  private Fixtures() {}

  static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + name, e);
    }
  }

  static DataRoot brokenRoot() {
    return DataRoot.of(resource("broken/classification.tsv").getParent());
  }

  static TaskSpec brokenClassification() {
    return TaskSpec.builder("broken-cls")
        .labels("neg", "pos")
        .file(Split.TRAIN, DataFile.tsv("classification.tsv", ColumnMapping.of("sentence", "label").withId("id")))
        .build();
  }

  static TaskSpec brokenRegression() {
    return TaskSpec.builder("broken-reg")
        .regression(0, 5)
        .file(
            Split.TRAIN,
            DataFile.tsv("regression.tsv", ColumnMapping.pair("sentence1", "sentence2", "score").withId("id")))
        .build();
  }

  static TaskSpec brokenJsonl() {
    return TaskSpec.builder("broken-jsonl")
        .labels("neg", "pos")
        .file(Split.TRAIN, DataFile.jsonl("broken.jsonl", ColumnMapping.of("text", "label")))
        .build();
  }
}
