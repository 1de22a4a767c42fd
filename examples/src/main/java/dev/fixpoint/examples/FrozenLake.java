package dev.fixpoint.examples;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.examples.GridWorld.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Gymnasium's {@code FrozenLake-v1} (Farama Foundation, {@code
 * gymnasium/envs/toy_text/frozen_lake.py}) with its exact transition table.
 *
 * <p>A map of tiles: S start, F frozen, H hole, G goal. States are the {@link Cell}s declared
 * row-major, so the state index is Gymnasium's observation {@code row * ncol + col}; actions are
 * {@link Move}s in Gymnasium's order (LEFT 0, DOWN 1, RIGHT 2, UP 3), so the action index is
 * Gymnasium's action number. A move off the map leaves the agent in place. Holes and the goal are
 * terminal (Gymnasium: the episode terminates on entering them); entering the goal earns 1, every
 * other transition 0. The episode starts at S.
 *
 * <p><b>Slippery</b> ({@code is_slippery=True}, Gymnasium's default): the agent moves in the
 * intended direction and in each of the two perpendicular directions with probability 1/3 each
 * (for LEFT: UP, LEFT, DOWN); outcomes that land on the same cell add up. <b>Not slippery</b>: the
 * intended move, with probability 1.
 *
 * <p>Gymnasium has no discount and cuts episodes at 100 (4x4) or 200 (8x8) steps by a wrapper.
 * The models here have gamma = 1 and no step limit: then v(s) is the probability of ever reaching
 * the goal. Some policies never end an episode (walking into the top wall, say) and earn 0 without
 * being proper; use {@link Mdp#withDiscount(String)} for a discounted version. For the 4x4
 * slippery map the largest probability of reaching the goal from S is 14/17 = 0.8235...
 */
@API(status = API.Status.EXPERIMENTAL)
public final class FrozenLake {
  private FrozenLake() {}

  /** Gymnasium's map "4x4". */
  public static final List<String> MAP_4X4 = List.of("SFFF", "FHFH", "FFFH", "HFFG");

  /** Gymnasium's map "8x8". */
  public static final List<String> MAP_8X8 = List.of(
      "SFFFFFFF",
      "FFFFFFFF",
      "FFFHFFFF",
      "FFFFFHFF",
      "FFFHFFFF",
      "FHHFFFHF",
      "FHFFHFHF",
      "FFFHFFFG");

  /** A move, in Gymnasium's action order: {@code ordinal()} is Gymnasium's action number. */
  public enum Move {
    /** Action 0: one column left. */
    LEFT(0, -1),
    /** Action 1: one row down. */
    DOWN(1, 0),
    /** Action 2: one column right. */
    RIGHT(0, 1),
    /** Action 3: one row up. */
    UP(-1, 0);

    private final int dRow;
    private final int dCol;

    Move(int dRow, int dCol) {
      this.dRow = dRow;
      this.dCol = dCol;
    }

    /** {@return the change of row index} */
    public int dRow() {
      return dRow;
    }

    /** {@return the change of column index} */
    public int dCol() {
      return dCol;
    }

    /** {@return the move a quarter turn before this one in Gymnasium's order ((a - 1) mod 4)} */
    public Move previous() {
      return values()[(ordinal() + 3) % 4];
    }

    /** {@return the move a quarter turn after this one in Gymnasium's order ((a + 1) mod 4)} */
    public Move next() {
      return values()[(ordinal() + 1) % 4];
    }
  }

  /** {@return the 4x4 map, slippery (Gymnasium's default {@code FrozenLake-v1})} */
  public static Mdp<Cell, Move> fourByFour() {
    return of(MAP_4X4, true);
  }

  /** {@return the 8x8 map, slippery ({@code map_name="8x8"})} */
  public static Mdp<Cell, Move> eightByEight() {
    return of(MAP_8X8, true);
  }

  /**
   * A frozen lake on a given map.
   *
   * @param map the rows of the map, all of the same length, letters S, F, H, G; exactly one S
   * @param slippery Gymnasium's {@code is_slippery}
   * @return the description: rows x cols states, holes and goals terminal, exact, gamma = 1
   * @throws ModelException when the map is empty, ragged, has another letter or not exactly one S
   */
  public static Mdp<Cell, Move> of(List<String> map, boolean slippery) {
    Objects.requireNonNull(map, "map");
    List<String> problems = new ArrayList<>();
    int rows = map.size();
    int cols = rows == 0 ? 0 : map.get(0).length();
    if (rows == 0 || cols == 0) {
      throw new ModelException("frozen lake: the map is empty");
    }
    int starts = 0;
    Cell start = new Cell(0, 0);
    List<Cell> cells = new ArrayList<>(rows * cols);
    for (int r = 0; r < rows; r++) {
      String line = map.get(r);
      if (line.length() != cols) {
        problems.add("frozen lake: map row " + r + " has " + line.length() + " tiles, expected "
            + cols);
        continue;
      }
      for (int c = 0; c < cols; c++) {
        char t = line.charAt(c);
        if ("SFHG".indexOf(t) < 0) {
          problems.add("frozen lake: tile (" + r + "," + c + ") is '" + t + "'; expected one of "
              + "S, F, H, G");
        }
        if (t == 'S') {
          starts++;
          start = new Cell(r, c);
        }
        cells.add(new Cell(r, c));
      }
    }
    if (starts != 1) {
      problems.add("frozen lake: the map has " + starts + " start tiles S, expected 1");
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
    List<String> tiles = List.copyOf(map);
    BigFraction third = new BigFraction(1, 3);
    return Mdp.<Cell, Move>of(cells, s -> List.of(Move.values()), (s, a) -> {
      if (!slippery) {
        return Dist.dirac(outcome(tiles, s, a));
      }
      return Dist.<Outcome<Cell>>builder()
          .add(outcome(tiles, s, a.previous()), third)
          .add(outcome(tiles, s, a), third)
          .add(outcome(tiles, s, a.next()), third)
          .build();
    }, BigFraction.ONE)
        .withTerminal(s -> isEnd(tiles.get(s.row()).charAt(s.col())))
        .withInitial(Dist.dirac(start))
        .withName("FrozenLake-v1 " + rows + "x" + cols + (slippery ? " slippery" : ""));
  }

  /**
   * {@return the tile letter of a cell of a map}
   *
   * @param map the map
   * @param c the cell
   */
  public static char tile(List<String> map, Cell c) {
    return map.get(c.row()).charAt(c.col());
  }

  private static boolean isEnd(char t) {
    return t == 'H' || t == 'G';
  }

  private static Outcome<Cell> outcome(List<String> tiles, Cell s, Move m) {
    int rows = tiles.size();
    int cols = tiles.get(0).length();
    int r = Math.min(Math.max(s.row() + m.dRow(), 0), rows - 1);
    int c = Math.min(Math.max(s.col() + m.dCol(), 0), cols - 1);
    Cell to = new Cell(r, c);
    return Outcome.of(to, tiles.get(r).charAt(c) == 'G' ? 1 : 0);
  }
}
