package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The textbook models of the learner tests, built here as {@link Mdp} descriptions. */
final class LearnModels {
  private LearnModels() {}

  /**
   * The random walk of Sutton &amp; Barto 2018, Example 6.2 (n = 5) and sec. 12.1 (n = 19):
   * states 0 .. n+1, 0 and n+1 terminal, start in the middle (n+1)/2; one action "walk" moves left
   * or right with probability 1/2 each. Reaching n+1 pays +1, reaching 0 pays {@code leftReward}
   * (0 in Example 6.2, -1 for the 19-state walk), every other step 0; gamma = 1. State index =
   * state number.
   */
  static TabularMdp<Integer, String> randomWalk(int n, int leftReward) {
    List<Integer> states = new ArrayList<>();
    for (int s = 0; s <= n + 1; s++) {
      states.add(s);
    }
    return Mdp.<Integer, String>of(states, s -> List.of("walk"),
        (s, a) -> Dist.<Outcome<Integer>>builder()
            .add(Outcome.of(s - 1, s - 1 == 0 ? leftReward : 0), "1/2")
            .add(Outcome.of(s + 1, s + 1 == n + 1 ? 1 : 0), "1/2").build(), "1")
        .withTerminal(Set.of(0, n + 1)).withInitial(Dist.dirac((n + 1) / 2))
        .withName("random walk " + n).tabulate();
  }

  /** {@return the only policy of a random walk} */
  static TabularPolicy<Integer, String> walk(TabularMdp<Integer, String> m) {
    return Policy.<Integer, String>uniform().tabulate(m);
  }

  /** A grid cell. */
  record Cell(int row, int col) {}

  /** The four moves of Cliff Walking. */
  enum Move {
    UP, DOWN, RIGHT, LEFT
  }

  static final Cell START = new Cell(3, 0);
  static final Cell GOAL = new Cell(3, 11);

  /**
   * Cliff Walking, Sutton &amp; Barto 2018, Example 6.6: a 4 x 12 grid, start at the bottom left
   * (3, 0), goal at the bottom right (3, 11) (terminal); moves up, down, right, left; a move off the
   * grid leaves the agent in place; every step costs -1, except a step into the cliff (row 3,
   * columns 1 .. 10), which costs -100 and sends the agent back to the start. Undiscounted. The
   * cliff cells are never entered, so they are not states.
   */
  static TabularMdp<Cell, Move> cliff() {
    List<Move> moves = List.of(Move.values());
    return Mdp.<Cell, Move>reachable(Dist.dirac(START), s -> moves, (s, a) -> {
      int r = s.row();
      int c = s.col();
      switch (a) {
        case UP -> r = Math.max(0, r - 1);
        case DOWN -> r = Math.min(3, r + 1);
        case RIGHT -> c = Math.min(11, c + 1);
        case LEFT -> c = Math.max(0, c - 1);
      }
      if (r == 3 && c >= 1 && c <= 10) {
        return Dist.dirac(Outcome.of(START, -100));
      }
      return Dist.dirac(Outcome.of(new Cell(r, c), -1));
    }, dev.fixpoint.dsl.Rationals.parse("1")).withTerminal(Set.of(GOAL)).withName("cliff walking")
        .tabulate();
  }

  /**
   * A hand model for single updates, gamma = 1/2: states A, B and terminal T (indices 0, 1, 2);
   * in A and B the actions l and r (rows A-l = 0, A-r = 1, B-l = 2, B-r = 3). Deterministic: A-l
   * to B with reward 2, A-r to T with -1, B-l to A with 0, B-r to T with 4. Start in A.
   */
  static TabularMdp<String, String> hand() {
    return Mdp.<String, String>of(List.of("A", "B", "T"), s -> List.of("l", "r"),
        (s, a) -> switch (s + a) {
          case "Al" -> Dist.dirac(Outcome.of("B", 2));
          case "Ar" -> Dist.dirac(Outcome.of("T", -1));
          case "Bl" -> Dist.dirac(Outcome.of("A", 0));
          default -> Dist.dirac(Outcome.of("T", 4));
        }, "1/2").withTerminal(Set.of("T")).withInitial(Dist.dirac("A")).withName("hand")
        .tabulate();
  }
}
