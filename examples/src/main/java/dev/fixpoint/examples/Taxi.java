package dev.fixpoint.examples;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.examples.GridWorld.Cell;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Gymnasium's {@code Taxi-v3} (Farama Foundation, {@code gymnasium/envs/toy_text/taxi.py}; after
 * Dietterich, "Hierarchical reinforcement learning with the MAXQ value function decomposition",
 * JAIR 13, 2000) with its exact, deterministic transition table.
 *
 * <p>A 5 x 5 grid with four stands R (0,0), G (0,4), Y (4,0), B (4,3) and walls:
 *
 * <pre>
 * +---------+
 * |R: | : :G|
 * | : | : : |
 * | : : : : |
 * | | : | : |
 * |Y| : |B: |
 * +---------+
 * </pre>
 *
 * <p>A state ({@link State}) is the taxi's cell, the passenger's location (a stand 0 .. 3 or 4 =
 * in the taxi) and the destination stand 0 .. 3; 500 states declared in the order of Gymnasium's
 * encoding {@code ((taxi_row * 5 + taxi_col) * 5 + passenger) * 4 + destination}, so the state
 * index is Gymnasium's observation. Actions ({@link Action}) in Gymnasium's order: south, north,
 * east, west, pickup, dropoff. Rewards: -1 a step; a move into a wall or off the grid leaves the
 * taxi in place and costs -1 too; pickup where the passenger is not waiting, and dropoff with no
 * passenger or off a stand, cost -10 and change nothing; dropoff with the passenger at a stand
 * that is not the destination leaves the passenger there for -1; dropoff at the destination earns
 * +20 and ends the episode.
 *
 * <p>Terminal states are those with the passenger at the destination (passenger = destination
 * &lt; 4): only a successful dropoff leads there, which is where Gymnasium flags termination. The
 * initial distribution is uniform over the 300 states with the passenger waiting at a stand other
 * than the destination, as in Gymnasium. Gymnasium has no discount; this model has gamma = 1,
 * under which every state can reach a terminal one and a policy that never delivers has value
 * -infinity.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Taxi {
  private Taxi() {}

  /** The grid with its walls, as drawn in Gymnasium's source. */
  public static final List<String> MAP = List.of(
      "+---------+",
      "|R: | : :G|",
      "| : | : : |",
      "| : : : : |",
      "| | : | : |",
      "|Y| : |B: |",
      "+---------+");

  /** The stands R, G, Y, B (indices 0 .. 3). */
  public static final List<Cell> STANDS =
      List.of(new Cell(0, 0), new Cell(0, 4), new Cell(4, 0), new Cell(4, 3));

  /** The passenger location that means "in the taxi". */
  public static final int IN_TAXI = 4;

  /** An action, in Gymnasium's order: {@code ordinal()} is Gymnasium's action number. */
  public enum Action {
    /** Action 0: one row down. */
    SOUTH,
    /** Action 1: one row up. */
    NORTH,
    /** Action 2: one column right. */
    EAST,
    /** Action 3: one column left. */
    WEST,
    /** Action 4: pick the passenger up. */
    PICKUP,
    /** Action 5: drop the passenger off. */
    DROPOFF
  }

  /**
   * A state of the taxi problem.
   *
   * @param row the taxi's row, 0 .. 4
   * @param col the taxi's column, 0 .. 4
   * @param passenger the passenger's stand 0 .. 3 (R, G, Y, B) or {@link #IN_TAXI}
   * @param destination the destination stand, 0 .. 3
   */
  public record State(int row, int col, int passenger, int destination) {
    /** Checks the ranges. */
    public State {
      if (row < 0 || row > 4 || col < 0 || col > 4 || passenger < 0 || passenger > IN_TAXI
          || destination < 0 || destination > 3) {
        throw new IllegalArgumentException("taxi state (" + row + "," + col + "," + passenger
            + "," + destination + ") is out of range");
      }
    }

    /** {@return Gymnasium's observation: ((row * 5 + col) * 5 + passenger) * 4 + destination} */
    public int index() {
      return ((row * 5 + col) * 5 + passenger) * 4 + destination;
    }

    /**
     * {@return the state of a Gymnasium observation}
     *
     * @param index 0 .. 499
     */
    public static State ofIndex(int index) {
      if (index < 0 || index >= 500) {
        throw new IllegalArgumentException("taxi observation " + index + " is outside 0 .. 499");
      }
      return new State(index / 100, index / 20 % 5, index / 4 % 5, index % 4);
    }

    /** {@return e.g. "taxi (3,1), passenger Y, destination G"} */
    @Override
    public String toString() {
      return "taxi (" + row + "," + col + "), passenger "
          + (passenger == IN_TAXI ? "in taxi" : "RGYB".charAt(passenger)) + ", destination "
          + "RGYB".charAt(destination);
    }
  }

  /** {@return the Taxi-v3 model, 500 states, 6 actions, gamma = 1} */
  public static Mdp<State, Action> gymnasium() {
    List<State> states = new ArrayList<>(500);
    for (int i = 0; i < 500; i++) {
      states.add(State.ofIndex(i));
    }
    List<State> starts = new ArrayList<>(300);
    for (State s : states) {
      if (s.passenger() != IN_TAXI && s.passenger() != s.destination()) {
        starts.add(s);
      }
    }
    return Mdp.<State, Action>of(states, s -> List.of(Action.values()), Taxi::step,
        BigFraction.ONE)
        .withTerminal(s -> s.passenger() == s.destination())
        .withInitial(Dist.uniform(starts))
        .withName("Taxi-v3 (Gymnasium)");
  }

  /**
   * {@return whether the way one column east (or west) of a cell is open}: the map character
   * beside the cell is ':' there, and '|' where a wall or the grid's edge blocks it.
   */
  private static boolean open(int row, int col, boolean east) {
    return MAP.get(row + 1).charAt(2 * col + (east ? 2 : 0)) == ':';
  }

  private static Dist<Outcome<State>> step(State s, Action a) {
    int row = s.row();
    int col = s.col();
    int passenger = s.passenger();
    int dest = s.destination();
    Cell taxi = new Cell(row, col);
    long reward = -1;
    switch (a) {
      case SOUTH -> row = Math.min(row + 1, 4);
      case NORTH -> row = Math.max(row - 1, 0);
      case EAST -> col = open(row, col, true) ? col + 1 : col;
      case WEST -> col = open(row, col, false) ? col - 1 : col;
      case PICKUP -> {
        if (passenger < IN_TAXI && taxi.equals(STANDS.get(passenger))) {
          passenger = IN_TAXI;
        } else {
          reward = -10;
        }
      }
      case DROPOFF -> {
        if (passenger == IN_TAXI && taxi.equals(STANDS.get(dest))) {
          passenger = dest;
          reward = 20;
        } else if (passenger == IN_TAXI && STANDS.contains(taxi)) {
          passenger = STANDS.indexOf(taxi);
        } else {
          reward = -10;
        }
      }
    }
    return Dist.dirac(Outcome.of(new State(row, col, passenger, dest), reward));
  }
}
