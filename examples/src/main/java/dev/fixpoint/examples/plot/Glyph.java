package dev.fixpoint.examples.plot;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a heat map draws over a cell to show the policy's action there: an arrow, a short text, or
 * nothing.
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface Glyph permits Glyph.Arrow, Glyph.Text, Glyph.Blank {

  /**
   * An arrow pointing along (dRow, dCol) on the grid: row down, column right; (-1, 0) points up.
   *
   * @param dRow the row component, -1, 0 or 1
   * @param dCol the column component, -1, 0 or 1
   */
  record Arrow(int dRow, int dCol) implements Glyph {
    /** Checks the components. */
    public Arrow {
      if (Math.abs(dRow) > 1 || Math.abs(dCol) > 1 || (dRow == 0 && dCol == 0)) {
        throw new IllegalArgumentException("arrow (" + dRow + "," + dCol + ") must have "
            + "components in {-1, 0, 1}, not both 0");
      }
    }
  }

  /**
   * A short text, such as a number of cars or "P" for pickup.
   *
   * @param text the text, not blank
   */
  record Text(String text) implements Glyph {
    /** Checks the text. */
    public Text {
      Objects.requireNonNull(text, "text");
      if (text.isBlank()) {
        throw new IllegalArgumentException("a text glyph must not be blank");
      }
    }
  }

  /** No glyph: a terminal state, or a cell without a state. */
  record Blank() implements Glyph {}

  /**
   * {@return an arrow}
   *
   * @param dRow row component
   * @param dCol column component
   */
  static Glyph arrow(int dRow, int dCol) {
    return new Arrow(dRow, dCol);
  }

  /**
   * {@return a text glyph}
   *
   * @param text the text
   */
  static Glyph text(String text) {
    return new Text(text);
  }

  /** {@return no glyph} */
  static Glyph blank() {
    return new Blank();
  }
}
