package dev.fixpoint.dsl;

import dev.fixpoint.dsl.GridState.Cell;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * A gridworld map given as strings, one per line, row 0 on top: {@code 'S'} the start (exactly
 * one), {@code 'G'} a goal (one or more), {@code 'X'} a wall, {@code '.'} or {@code ' '} a free
 * cell. The dynamics follow gym-classics 0.0.2 ({@code gym_classics/envs/abstract/gridworld.py},
 * B. Daley): four moves ({@link GridMove}); a move into a wall or off the grid leaves the agent in
 * place; walls are not states. {@link #toMdp(GridRules)} turns the map into an MDP whose states
 * are the cells reachable from the start (plus {@link GridState.Exit} when goals are acted from).
 *
 * <p>Validation happens in the constructor and collects every problem, each naming the row and
 * column: an empty map, rows of different lengths, an unknown character, no start or more than one,
 * no goal, a goal that cannot be reached from the start.
 *
 * @param rows the lines of the map, top first, all of the same length
 */
@API(status = API.Status.EXPERIMENTAL)
public record GridLayout(List<String> rows) {

  /**
   * Copies and validates the map.
   *
   * @throws ModelException listing every problem found, each with its row and column
   */
  public GridLayout {
    rows = List.copyOf(rows);
    List<String> problems = new ArrayList<>();
    if (rows.isEmpty() || rows.get(0).isEmpty()) {
      throw new ModelException("grid layout: the map is empty");
    }
    int width = rows.get(0).length();
    List<Cell> starts = new ArrayList<>();
    List<Cell> goals = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      String line = rows.get(r);
      if (line.length() != width) {
        problems.add("grid layout: row " + r + " has " + line.length() + " characters, expected "
            + width + " (the length of row 0): rows must all have the same length");
      }
      for (int c = 0; c < line.length(); c++) {
        char t = line.charAt(c);
        switch (t) {
          case 'S' -> starts.add(new Cell(r, c));
          case 'G' -> goals.add(new Cell(r, c));
          case 'X', '.', ' ' -> { }
          default -> problems.add("grid layout: row " + r + ", column " + c + ": character '"
              + t + "' is not one of 'S' (start), 'G' (goal), 'X' (wall), '.' or ' ' (free)");
        }
      }
    }
    if (starts.isEmpty()) {
      problems.add("grid layout: no start 'S'; expected exactly one");
    } else if (starts.size() > 1) {
      problems.add("grid layout: " + starts.size() + " starts 'S' at " + places(starts)
          + "; expected exactly one");
    }
    if (goals.isEmpty()) {
      problems.add("grid layout: no goal 'G'; expected at least one");
    }
    if (problems.isEmpty()) {
      boolean[][] seen = reach(rows, starts.get(0));
      for (Cell g : goals) {
        if (!seen[g.row()][g.col()]) {
          problems.add("grid layout: goal 'G' at row " + g.row() + ", column " + g.col()
              + " cannot be reached from the start at row " + starts.get(0).row() + ", column "
              + starts.get(0).col() + " (walls 'X' cut it off)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
  }

  /**
   * {@return the layout of the given lines}
   * @param lines the lines of the map, top first
   * @throws ModelException as the constructor
   */
  public static GridLayout of(String... lines) {
    return new GridLayout(Arrays.asList(lines));
  }

  /** {@return the number of rows (lines)} */
  public int height() {
    return rows.size();
  }

  /** {@return the number of columns (characters per line)} */
  public int width() {
    return rows.get(0).length();
  }

  /**
   * {@return the character of a cell: 'S', 'G', 'X', '.' or ' '}
   * @param c a cell inside the map
   */
  public char charAt(Cell c) {
    requireInside(c);
    return rows.get(c.row()).charAt(c.col());
  }

  /**
   * {@return whether a cell is a goal 'G'}
   * @param c a cell inside the map
   */
  public boolean isGoal(Cell c) {
    return charAt(c) == 'G';
  }

  /**
   * {@return whether a cell is a wall 'X'}
   * @param c a cell inside the map
   */
  public boolean isWall(Cell c) {
    return charAt(c) == 'X';
  }

  /** {@return the start cell 'S'} */
  public Cell start() {
    return find('S').get(0);
  }

  /** {@return the goal cells 'G', row by row} */
  public List<Cell> goals() {
    return find('G');
  }

  /**
   * The cell at gym-classics coordinates: x to the right from the left column, y up from the
   * bottom row, so (0, 0) is the bottom-left cell: row = height - 1 - y, column = x.
   *
   * @param x the column, 0 .. width - 1
   * @param y the height above the bottom row, 0 .. height - 1
   * @return the cell
   * @throws IllegalArgumentException when (x, y) is outside the map
   */
  public Cell cellAtXy(int x, int y) {
    if (x < 0 || x >= width() || y < 0 || y >= height()) {
      throw new IllegalArgumentException("(x, y) = (" + x + ", " + y + ") is outside the "
          + width() + " x " + height() + " map");
    }
    return new Cell(height() - 1 - y, x);
  }

  /**
   * The deterministic effect of a move: the neighbouring cell, or the same cell when the
   * neighbour is a wall or off the grid.
   *
   * @param c a cell inside the map
   * @param m the move
   * @return the cell the agent lands on
   */
  public Cell move(Cell c, GridMove m) {
    requireInside(c);
    return step(rows, c, m);
  }

  /**
   * The cells reachable from the start, breadth first in {@link GridMove} order. A goal is
   * included but not expanded (an episode ends at a goal under either {@link GridRules.Payoff}).
   * Under {@link GridRules.Payoff#ON_ENTERING_GOAL} these are exactly the states of {@link
   * #toMdp(GridRules)}; under {@link GridRules.Payoff#ON_ACTING_FROM_GOAL} the MDP adds the exit.
   * Slipping only mixes moves, so it reaches the same cells.
   *
   * @return the reachable cells, start first
   */
  public List<Cell> reachableCells() {
    return bfs(rows, start()).order;
  }

  /**
   * {@return the fewest deterministic moves from the start to the nearest goal (at least 1, since
   * the start is not a goal; every goal is reachable, the constructor checks it)}
   */
  public int shortestPath() {
    Search s = bfs(rows, start());
    int best = Integer.MAX_VALUE;
    for (Cell g : goals()) {
      best = Math.min(best, s.dist[g.row()][g.col()]);
    }
    return best;
  }

  /**
   * {@return the MDP of this map under the given rules, named "gridworld"}
   * @param rules when rewards are paid, slip, discount
   */
  public Mdp<GridState, GridMove> toMdp(GridRules rules) {
    return toMdp("gridworld", rules);
  }

  /**
   * The MDP of this map. States are reached from the start (initial distribution: the start with
   * probability 1): the reachable cells, and {@link GridState.Exit} under {@link
   * GridRules.Payoff#ON_ACTING_FROM_GOAL}. Every non-terminal state has the four moves. Terminal:
   * the goals under {@link GridRules.Payoff#ON_ENTERING_GOAL}, the exit otherwise. Dynamics: see
   * {@link GridRules} (intended move 1 - p, each perpendicular move p/2, blocked moves stay).
   * Exact when the rules are (they always are: they hold fractions).
   *
   * @param name the model's name
   * @param rules when rewards are paid, slip, discount
   * @return the description
   */
  public Mdp<GridState, GridMove> toMdp(String name, GridRules rules) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rules, "rules");
    boolean onEntering = rules.payoff() == GridRules.Payoff.ON_ENTERING_GOAL;
    List<GridMove> moves = List.of(GridMove.values());
    return Mdp.<GridState, GridMove>reachable(Dist.dirac(start()), s -> moves,
        (s, a) -> dynamics(s, a, rules), rules.discount())
        .withTerminal(s -> switch (s) {
          case GridState.Exit e -> true;
          case Cell c -> onEntering && isGoal(c);
        })
        .withName(name);
  }

  private Dist<Outcome<GridState>> dynamics(GridState s, GridMove a, GridRules rules) {
    Cell c = switch (s) {
      case GridState.Exit e -> throw new IllegalStateException("the exit is terminal; action "
          + a + " asked for");
      case Cell cell -> cell;
    };
    BigFraction step = rules.stepReward();
    boolean onEntering = rules.payoff() == GridRules.Payoff.ON_ENTERING_GOAL;
    if (!onEntering && isGoal(c)) {
      return Dist.dirac(Outcome.of(new GridState.Exit(), step.add(rules.goalReward())));
    }
    BigFraction slip = rules.slip();
    BigFraction half = slip.divide(2);
    Dist.Builder<Outcome<GridState>> b = Dist.builder();
    BigFraction keep = BigFraction.ONE.subtract(slip);
    if (Rationals.signum(keep) > 0) {
      b.add(landing(c, a, rules, onEntering), keep);
    }
    if (Rationals.signum(half) > 0) {
      b.add(landing(c, a.turnLeft(), rules, onEntering), half);
      b.add(landing(c, a.turnRight(), rules, onEntering), half);
    }
    return b.build();
  }

  private Outcome<GridState> landing(Cell c, GridMove m, GridRules rules, boolean onEntering) {
    Cell to = step(rows, c, m);
    BigFraction r = rules.stepReward();
    if (onEntering && isGoal(to)) {
      r = r.add(rules.goalReward());
    }
    return Outcome.of(to, r);
  }

  private List<Cell> find(char t) {
    List<Cell> out = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < rows.get(r).length(); c++) {
        if (rows.get(r).charAt(c) == t) {
          out.add(new Cell(r, c));
        }
      }
    }
    return out;
  }

  private void requireInside(Cell c) {
    if (c.row() >= height() || c.col() >= width()) {
      throw new IllegalArgumentException("cell " + c + " is outside the " + height() + " x "
          + width() + " map");
    }
  }

  private static String places(List<Cell> cells) {
    List<String> out = new ArrayList<>();
    for (Cell c : cells) {
      out.add("row " + c.row() + ", column " + c.col());
    }
    return String.join("; ", out);
  }

  private static Cell step(List<String> rows, Cell c, GridMove m) {
    int r = c.row() + m.dRow();
    int col = c.col() + m.dCol();
    if (r < 0 || r >= rows.size() || col < 0 || col >= rows.get(r).length()
        || rows.get(r).charAt(col) == 'X') {
      return c;
    }
    return new Cell(r, col);
  }

  private static boolean[][] reach(List<String> rows, Cell start) {
    int[][] d = bfs(rows, start).dist;
    boolean[][] seen = new boolean[d.length][];
    for (int r = 0; r < d.length; r++) {
      seen[r] = new boolean[d[r].length];
      for (int c = 0; c < d[r].length; c++) {
        seen[r][c] = d[r][c] != Integer.MAX_VALUE;
      }
    }
    return seen;
  }

  private record Search(List<Cell> order, int[][] dist) {}

  private static Search bfs(List<String> rows, Cell start) {
    int[][] dist = new int[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      dist[r] = new int[rows.get(r).length()];
      Arrays.fill(dist[r], Integer.MAX_VALUE);
    }
    List<Cell> order = new ArrayList<>();
    ArrayDeque<Cell> queue = new ArrayDeque<>();
    dist[start.row()][start.col()] = 0;
    queue.add(start);
    while (!queue.isEmpty()) {
      Cell c = queue.poll();
      order.add(c);
      if (rows.get(c.row()).charAt(c.col()) == 'G') {
        continue;
      }
      for (GridMove m : GridMove.values()) {
        Cell n = step(rows, c, m);
        if (dist[n.row()][n.col()] == Integer.MAX_VALUE) {
          dist[n.row()][n.col()] = dist[c.row()][c.col()] + 1;
          queue.add(n);
        }
      }
    }
    return new Search(order, dist);
  }
}
