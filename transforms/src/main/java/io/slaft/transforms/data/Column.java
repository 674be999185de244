package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A reference to a field of a row: by header or JSON field name, or by 0-based position (for
 * delimited files, required when the file has no header). Immutable.
 */
public final class Column implements Serializable {
  private static final long serialVersionUID = 1L;

  private final @Nullable String name;
  private final int index;

  private Column(@Nullable String name, int index) {
    this.name = name;
    this.index = index;
  }

  /** The field whose header (delimited) or key (JSON) equals {@code name} exactly. */
  public static Column named(String name) {
    checkArgument(
        name != null && !name.isEmpty(),
        "column name must be non-empty; use Column.at(i) for a headerless file");
    return new Column(name, -1);
  }

  /** The field at 0-based position {@code index} of a delimited row. */
  public static Column at(int index) {
    checkArgument(index >= 0, "column index is 0-based and must be >= 0, got %s", index);
    return new Column(null, index);
  }

  public boolean isNamed() {
    return name != null;
  }

  /**
   * The name of a named column.
   *
   * @throws IllegalStateException for a positional column
   */
  public String name() {
    if (name == null) {
      throw new IllegalStateException("column " + this + " is positional, not named");
    }
    return name;
  }

  /**
   * The 0-based position of a positional column.
   *
   * @throws IllegalStateException for a named column
   */
  public int index() {
    if (name != null) {
      throw new IllegalStateException("column " + this + " is named, not positional");
    }
    return index;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Column && Objects.equals(name, ((Column) o).name) && index == ((Column) o).index;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, index);
  }

  @Override
  public String toString() {
    return name != null ? "'" + name + "'" : "#" + index;
  }
}
