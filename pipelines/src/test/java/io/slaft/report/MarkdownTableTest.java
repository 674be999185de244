package io.slaft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {

  private static MarkdownTable robustness() {
    return MarkdownTable.builder("family", "severity", "accuracy", "drop", "n")
        .decimals(3).decimals("severity", 2)
        .row("char-swap", 0.0, 0.9128, 0.0, 872)
        .row("char-swap", 0.15, 0.80, 0.1128, 872)
        .row("word|dropout", 0.2, Double.NaN, null, 5L)
        .build();
  }

  @Test
  void rendersMarkdownWithAlignedPaddedColumns() {
    assertEquals(""
        + "| family        | severity | accuracy |  drop |   n |\n"
        + "| ------------- | -------: | -------: | ----: | --: |\n"
        + "| char-swap     |     0.00 |    0.913 | 0.000 | 872 |\n"
        + "| char-swap     |     0.15 |    0.800 | 0.113 | 872 |\n"
        + "| word\\|dropout |     0.20 |      NaN |       |   5 |\n",
        robustness().toMarkdown());
  }

  @Test
  void rendersPlainTextForTerminals() {
    assertEquals(""
        + "family        severity  accuracy   drop    n\n"
        + "------------  --------  --------  -----  ---\n"
        + "char-swap         0.00     0.913  0.000  872\n"
        + "char-swap         0.15     0.800  0.113  872\n"
        + "word|dropout      0.20       NaN           5\n",
        robustness().toText());
  }

  @Test
  void formatsCellsLocaleIndependently() {
    assertEquals("1.50", MarkdownTable.format(1.5, 2));
    assertEquals("2", MarkdownTable.format(2.4f, 0));
    assertEquals("inf", MarkdownTable.format(Double.POSITIVE_INFINITY, 2));
    assertEquals("0.000001", MarkdownTable.format(new BigDecimal("1E-6"), 2));
    assertEquals("a b", MarkdownTable.format("a\nb", 2));
    assertEquals("", MarkdownTable.format(null, 2));
    MarkdownTable text = MarkdownTable.builder("k", "v").row("x", "1").build();
    assertEquals("| k   | v   |\n| --- | --- |\n| x   | 1   |\n", text.toMarkdown());
    assertEquals(List.of(List.of("x", "1")), text.rows());
  }

  @Test
  void validatesShape() {
    assertEquals("row 0 must have one cell per column (2), got 1", assertThrows(
        IllegalArgumentException.class, () -> MarkdownTable.builder("a", "b").row("x"))
        .getMessage());
    assertEquals("decimals set for unknown column 'c'; columns: a, b", assertThrows(
        IllegalArgumentException.class, () -> MarkdownTable.builder("a", "b").decimals("c", 1)
            .build()).getMessage());
    assertThrows(IllegalArgumentException.class, () -> MarkdownTable.builder("a", "a"));
    assertThrows(IllegalArgumentException.class, () -> MarkdownTable.builder());
  }
}
