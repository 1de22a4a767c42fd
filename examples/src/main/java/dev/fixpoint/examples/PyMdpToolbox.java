package dev.fixpoint.examples;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Models in the array layout of the Python MDP toolbox (pymdptoolbox, S. Cordwell, 2011-2014):
 * transition matrices {@code P[a][s][s']} (A x S x S) and expected rewards {@code R[s][a]} (S x
 * A). States and actions are the indices 0..S-1 and 0..A-1, so results read the same as the
 * toolbox's tuples.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class PyMdpToolbox {
  private PyMdpToolbox() {}

  /**
   * {@code mdptoolbox.example.small()}: two states, two actions, P[0] = [[1/2, 1/2], [4/5, 1/5]],
   * P[1] = [[0, 1], [1/10, 9/10]], R = [[5, 10], [-1, 2]] (R[s][a]), with the discount 9/10 of the
   * toolbox's examples.
   *
   * <p>By hand: the optimal policy is (1, 0); its Bellman equations V0 = 10 + (9/10) V1 and V1 = -1
   * + (9/10)((4/5) V0 + (1/5) V1) give V* = (1825/43, 1550/43) = (42.4419..., 36.0465...), and no
   * one-step deviation improves on it. The toolbox's documented value iteration stops after 26
   * sweeps at V = (40.048625392716815, 33.65371175967546), about 2.4 below V*.
   *
   * @return the description; 2 states, 4 rows, exact
   */
  public static Mdp<Integer, Integer> small() {
    BigFraction[][][] p = {
        {{f(1, 2), f(1, 2)}, {f(4, 5), f(1, 5)}},
        {{f(0, 1), f(1, 1)}, {f(1, 10), f(9, 10)}}};
    BigFraction[][] r = {{f(5, 1), f(10, 1)}, {f(-1, 1), f(2, 1)}};
    return fromArrays("pymdptoolbox small", p, r, new BigFraction(9, 10));
  }

  /**
   * An MDP from toolbox-layout arrays. Zero probabilities are dropped; rows that do not sum to 1
   * or hold a negative probability are reported by {@link Mdp#tabulate()}, naming the state and
   * action. There are no terminal states (the toolbox has none).
   *
   * @param name the model's name
   * @param p transition probabilities {@code p[a][s][s']}, A x S x S (arrays are copied)
   * @param r expected rewards {@code r[s][a]}, S x A
   * @param discount gamma in [0, 1]
   * @return the description over states 0..S-1 and actions 0..A-1, every action available
   * @throws ModelException when the shapes disagree or there is no state or action
   */
  public static Mdp<Integer, Integer> fromArrays(String name, BigFraction[][][] p,
      BigFraction[][] r, BigFraction discount) {
    int numActions = p.length;
    int numStates = r.length;
    List<String> problems = new ArrayList<>();
    if (numActions == 0 || numStates == 0) {
      throw new ModelException(name + ": P has " + numActions + " actions and R " + numStates
          + " states; both must be positive");
    }
    BigFraction[][][] pc = new BigFraction[numActions][numStates][];
    BigFraction[][] rc = new BigFraction[numStates][];
    for (int a = 0; a < numActions; a++) {
      if (p[a].length != numStates) {
        problems.add(name + ": P[" + a + "] has " + p[a].length + " rows, expected " + numStates);
        continue;
      }
      for (int s = 0; s < numStates; s++) {
        if (p[a][s].length != numStates) {
          problems.add(name + ": P[" + a + "][" + s + "] has " + p[a][s].length
              + " entries, expected " + numStates);
        }
        pc[a][s] = p[a][s].clone();
      }
    }
    for (int s = 0; s < numStates; s++) {
      if (r[s].length != numActions) {
        problems.add(name + ": R[" + s + "] has " + r[s].length + " entries, expected "
            + numActions + " (one per action: R is S x A)");
      }
      rc[s] = r[s].clone();
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
    List<Integer> states = new ArrayList<>(numStates);
    for (int s = 0; s < numStates; s++) {
      states.add(s);
    }
    List<Integer> actions = new ArrayList<>(numActions);
    for (int a = 0; a < numActions; a++) {
      actions.add(a);
    }
    return Mdp.<Integer, Integer>of(states, s -> actions, (s, a) -> {
      // the toolbox's reward is per (s, a): every outcome of the pair carries it
      List<Outcome<Integer>> outs = new ArrayList<>(numStates);
      for (int t = 0; t < numStates; t++) {
        outs.add(Outcome.of(t, rc[s][a]));
      }
      return Dist.ofExact(outs, pc[a][s]);
    }, discount).withName(name);
  }

  /** Shorthand for literal tables: num/den. */
  private static BigFraction f(long num, long den) {
    return Rationals.of(num, den);
  }
}
