package dev.fixpoint.examples;

import dev.fixpoint.dsl.GridLayout;
import dev.fixpoint.dsl.GridMove;
import dev.fixpoint.dsl.GridRules;
import dev.fixpoint.dsl.GridState;
import dev.fixpoint.dsl.Mdp;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The Bifurcation gridworlds of Daley, White, Amato and Machado, "Trajectory-Aware Eligibility
 * Traces for Off-Policy Reinforcement Learning" (ICML 2023), from their repository's
 * {@code trajectory_aware_etraces/envs/bifurcation{1..4}.py}, on gym-classics 0.0.2 dynamics:
 * deterministic moves up, right, down, left; a move into a wall X or off the grid stays; any
 * action taken on a goal G earns 1 and ends the episode ({@link
 * GridRules.Payoff#ON_ACTING_FROM_GOAL}); every other action earns 0; gamma = 0.9. States are the
 * cells reachable from S plus the terminal exit.
 *
 * <p>With a shortest path of n moves an optimal episode takes n + 1 actions and v*(S) = 0.9^n:
 * Bifurcation1 n = 6 (14 cells), Bifurcation2 n = 7 (34), Bifurcation3 n = 4 (31), Bifurcation4
 * n = 6 (43).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Bifurcation {
  private Bifurcation() {}

  /** The discount of the paper's experiments, 0.9. */
  public static final BigFraction DISCOUNT = new BigFraction(9, 10);

  /**
   * Bifurcation1, 5 x 5, the "Bifurcated Gridworld": from S, right along the bottom row and up to
   * G (6 moves), or up the middle corridor and around (10 moves); the fork is at (x, y) = (2, 0).
   */
  public static final GridLayout LAYOUT_1 = GridLayout.of(
      "XX   ",
      "XX X ",
      "XX XG",
      "XX X ",
      "S    ");

  /** Bifurcation2, 7 x 7: four corridors between walls, the goal above the second. */
  public static final GridLayout LAYOUT_2 = GridLayout.of(
      "  G    ",
      " X X X ",
      " X X X ",
      " X X X ",
      " X X X ",
      " X X X ",
      "   S   ");

  /** Bifurcation3, 6 x 6: three goals in the left column. */
  public static final GridLayout LAYOUT_3 = GridLayout.of(
      "G     ",
      "G     ",
      "GXX   ",
      " X    ",
      "  S   ",
      "XX    ");

  /** Bifurcation4, 7 x 7: the goal between two walls, open on both sides. */
  public static final GridLayout LAYOUT_4 = GridLayout.of(
      "       ",
      "       ",
      "  XXX  ",
      "   G   ",
      "  XXX  ",
      "       ",
      "S      ");

  /** {@return the four layouts, Bifurcation1 first} */
  public static List<GridLayout> layouts() {
    return List.of(LAYOUT_1, LAYOUT_2, LAYOUT_3, LAYOUT_4);
  }

  /** {@return the paper's rules: reward 1 on acting from a goal, 0 otherwise, deterministic, 0.9} */
  public static GridRules rules() {
    return GridRules.actingFromGoal(DISCOUNT);
  }

  /** {@return Bifurcation1: 14 cells, shortest path 6 moves (7 actions), v*(S) = 0.9^6} */
  public static Mdp<GridState, GridMove> one() {
    return LAYOUT_1.toMdp("Bifurcation1", rules());
  }

  /** {@return Bifurcation2: 34 cells, shortest path 7 moves (8 actions), v*(S) = 0.9^7} */
  public static Mdp<GridState, GridMove> two() {
    return LAYOUT_2.toMdp("Bifurcation2", rules());
  }

  /** {@return Bifurcation3: 31 cells, shortest path 4 moves (5 actions), v*(S) = 0.9^4} */
  public static Mdp<GridState, GridMove> three() {
    return LAYOUT_3.toMdp("Bifurcation3", rules());
  }

  /** {@return Bifurcation4: 43 cells, shortest path 6 moves (7 actions), v*(S) = 0.9^6} */
  public static Mdp<GridState, GridMove> four() {
    return LAYOUT_4.toMdp("Bifurcation4", rules());
  }
}
