package dev.fixpoint.examples;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The random MDPs of pymdptoolbox's {@code mdptoolbox.example.rand(S, A)} (dense form; S. Cordwell,
 * after the MATLAB MDPtoolbox of Chadès, Chapron, Cros, Garcia &amp; Sabbadin, INRA), drawn the
 * same way from a Java {@link RandomGenerator}.
 *
 * <p><b>The law.</b> For each action a and state s, in that order: draw u_1 .. u_S and a threshold
 * t uniform on [0, 1); the mask is m_j = 1 where u_j &gt; t; if the mask is empty, one uniformly
 * chosen entry is set. Then P[a][s][j] = m_j w_j / sum_k m_k w_k with w_j uniform on [0, 1), and
 * the transition reward R[a][s][j] = m_j (2 v_j - 1) with v_j uniform on [0, 1) (so in [-1, 1)).
 * The expected reward is r(s, a) = sum_j P[a][s][j] R[a][s][j]. The density of each row is itself
 * random (on average half the entries are non-zero).
 *
 * <p><b>Not bit-compatible with numpy.</b> The toolbox draws from numpy's global Mersenne
 * Twister; this class draws from the generator it is given, in the order above. The same seed
 * gives the same model here every time, but not the model that {@code numpy.random.seed(seed)}
 * gives in Python. For models that must match Python's, write them there and read the {@code
 * .npz} file.
 *
 * <p><b>Compared with {@code tabular.random.Garnet}:</b> a Garnet has a fixed branching factor,
 * probabilities uniform on the simplex and one reward per (s, a); this law has random row
 * densities, probabilities proportional to independent uniforms, and a reward per transition. Use
 * Garnet for experiments that vary the branching factor, this class to mirror toolbox-based
 * studies.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class PyMdpToolboxRand {
  private PyMdpToolboxRand() {}

  /**
   * {@return {@code rand(states, actions)} drawn from {@code new SplittableRandom(seed)}, discount
   * 9/10}
   *
   * @param states S, at least 2 (the toolbox's rule)
   * @param actions A, at least 2
   * @param seed the seed
   */
  public static Mdp<Integer, Integer> rand(int states, int actions, long seed) {
    return rand(states, actions, new SplittableRandom(seed), new BigFraction(9, 10));
  }

  /**
   * Draws a model from the toolbox's law (see the class documentation for the order of draws).
   *
   * @param states S, at least 2
   * @param actions A, at least 2
   * @param rng the generator; S (3 S + 1) A to S (3 S + 2) A draws of it are consumed
   * @param discount gamma in [0, 1]
   * @return the description over states 0 .. S-1 and actions 0 .. A-1, every action available,
   *     no terminal state, uniform initial distribution, inexact (double probabilities)
   * @throws ModelException when S or A is below 2
   */
  public static Mdp<Integer, Integer> rand(int states, int actions, RandomGenerator rng,
      BigFraction discount) {
    Objects.requireNonNull(rng, "rng");
    Objects.requireNonNull(discount, "discount");
    if (states < 2 || actions < 2) {
      throw new ModelException("rand: S = " + states + " and A = " + actions
          + " must both be at least 2 (as in mdptoolbox.example.rand)");
    }
    double[][][] p = new double[actions][states][states];
    double[][][] r = new double[actions][states][states];
    for (int a = 0; a < actions; a++) {
      for (int s = 0; s < states; s++) {
        boolean[] mask = new boolean[states];
        double[] u = new double[states];
        for (int j = 0; j < states; j++) {
          u[j] = rng.nextDouble();
        }
        double t = rng.nextDouble();
        boolean any = false;
        for (int j = 0; j < states; j++) {
          mask[j] = u[j] > t;
          any |= mask[j];
        }
        if (!any) {
          mask[rng.nextInt(states)] = true;
        }
        double sum = 0;
        for (int j = 0; j < states; j++) {
          double w = rng.nextDouble();
          p[a][s][j] = mask[j] ? w : 0;
          sum += p[a][s][j];
        }
        if (sum == 0) {
          // every masked weight drew exactly 0 (probability about 2^-53 per entry): spread evenly
          int k = 0;
          for (boolean m : mask) {
            k += m ? 1 : 0;
          }
          for (int j = 0; j < states; j++) {
            p[a][s][j] = mask[j] ? 1.0 / k : 0;
          }
          sum = 1;
        }
        for (int j = 0; j < states; j++) {
          p[a][s][j] /= sum;
          double v = rng.nextDouble();
          r[a][s][j] = mask[j] ? 2 * v - 1 : 0;
        }
      }
    }
    List<Integer> stateList = new ArrayList<>(states);
    for (int s = 0; s < states; s++) {
      stateList.add(s);
    }
    List<Integer> actionList = new ArrayList<>(actions);
    for (int a = 0; a < actions; a++) {
      actionList.add(a);
    }
    return Mdp.<Integer, Integer>of(stateList, s -> actionList, (s, a) -> {
      List<Outcome<Integer>> outs = new ArrayList<>();
      List<Double> ps = new ArrayList<>();
      for (int j = 0; j < states; j++) {
        if (p[a][s][j] > 0) {
          outs.add(Outcome.of(j, Rationals.fromDouble(r[a][s][j])));
          ps.add(p[a][s][j]);
        }
      }
      double[] probs = new double[ps.size()];
      for (int i = 0; i < probs.length; i++) {
        probs[i] = ps.get(i);
      }
      return Dist.ofDoubles(outs, probs);
    }, discount).withName("pymdptoolbox rand(" + states + ", " + actions + ")");
  }
}
