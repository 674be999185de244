package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Which fields of a row hold the text, the optional second text, the label (or score) and the
 * optional id. Immutable; {@code with*} methods return copies.
 */
public final class ColumnMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Column text;
  private final @Nullable Column textPair;
  private final Column label;
  private final ImmutableList<Column> id;
  private final boolean readsLabel;

  private ColumnMapping(Column text, @Nullable Column textPair, Column label, List<Column> id) {
    this(text, textPair, label, id, true);
  }

  private ColumnMapping(Column text, @Nullable Column textPair, Column label, List<Column> id, boolean readsLabel) {
    this.readsLabel = readsLabel;
    this.text = checkNotNull(text, "text column");
    this.textPair = textPair;
    this.label = checkNotNull(label, "label column");
    this.id = ImmutableList.copyOf(id);
    List<Column> all = new ArrayList<>();
    all.add(text);
    if (textPair != null) {
      all.add(textPair);
    }
    all.add(label);
    checkArgument(
        all.stream().distinct().count() == all.size(),
        "text, text-pair and label must be different columns, got text=%s pair=%s label=%s",
        text,
        textPair,
        label);
  }

  /** A single-text mapping. */
  public static ColumnMapping of(Column text, Column label) {
    return new ColumnMapping(text, null, label, List.of());
  }

  /** A single-text mapping by field names. */
  public static ColumnMapping of(String text, String label) {
    return of(Column.named(text), Column.named(label));
  }

  /** A text-pair mapping. */
  public static ColumnMapping pair(Column text, Column textPair, Column label) {
    return new ColumnMapping(text, checkNotNull(textPair, "text pair column"), label, List.of());
  }

  /** A text-pair mapping by field names. */
  public static ColumnMapping pair(String text, String textPair, String label) {
    return pair(Column.named(text), Column.named(textPair), Column.named(label));
  }

  /** A copy whose example ids join the given fields with {@code -}. */
  public ColumnMapping withId(Column... idColumns) {
    checkArgument(idColumns.length > 0, "withId needs at least one column");
    return new ColumnMapping(text, textPair, label, List.of(idColumns), readsLabel);
  }

  /** A copy whose example ids join the named fields with {@code -}. */
  public ColumnMapping withId(String... idColumns) {
    Column[] cols = new Column[idColumns.length];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = Column.named(idColumns[i]);
    }
    return withId(cols);
  }

  public Column text() {
    return text;
  }

  public Optional<Column> textPair() {
    return Optional.ofNullable(textPair);
  }

  public Column label() {
    return label;
  }

  /**
   * This mapping for rows read for prediction: the label column is not read (a file may lack it;
   * where it has one, its values are ignored) and rows become {@link Example#unlabeled} examples.
   */
  public ColumnMapping withoutLabel() {
    return new ColumnMapping(text, textPair, label, id, false);
  }

  /** Whether rows carry the label (false after {@link #withoutLabel()}). */
  public boolean readsLabel() {
    return readsLabel;
  }

  /** The id fields; empty means ids come from the JSON key or the line number. */
  public List<Column> id() {
    return id;
  }

  /** Every column a row is read from, in the order rows are validated (the label only when read). */
  List<Column> all() {
    List<Column> all = new ArrayList<>();
    all.add(text);
    if (textPair != null) {
      all.add(textPair);
    }
    if (readsLabel) {
      all.add(label);
    }
    all.addAll(id);
    return all;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof ColumnMapping)) {
      return false;
    }
    ColumnMapping m = (ColumnMapping) o;
    return text.equals(m.text)
        && Objects.equals(textPair, m.textPair)
        && label.equals(m.label)
        && id.equals(m.id)
        && readsLabel == m.readsLabel;
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, textPair, label, id, readsLabel);
  }

  @Override
  public String toString() {
    return "text=" + text + (textPair == null ? "" : " pair=" + textPair) + (readsLabel ? " label=" + label : "")
        + (id.isEmpty() ? "" : " id=" + id);
  }
}
