package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Small exact models for realizability experiments: a dense constructor from p(s'|s, a) and
 * r(s, a), and the linear-MDP construction of spec B2 (Jin, Yang, Wang and Jordan 2020's linear
 * MDP, in its simplest exact form): with feature rows phi(s, a) &gt;= 0 summing to 1, a matrix
 * M in R^{d x S} with probability rows and w in R^d, set P = Phi M and r = Phi w. Then
 * T^pi(Phi theta) = Phi (w + gamma M Pi_pi Phi theta) and T(Phi theta) = Phi (w + gamma M m(Phi
 * theta)): span Phi is Bellman complete for every T^pi and for T.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class LinearMdps {
  private LinearMdps() {}

  /**
   * A model and its features.
   *
   * @param mdp the model
   * @param features Phi
   */
  public record WithFeatures(TabularMdp<Integer, Integer> mdp, LinearFeatures features) {}

  /**
   * An exact dense model with states 0..S-1 and actions 0..A-1, every action available, no
   * terminal state.
   *
   * @param name the name
   * @param prob prob[s][a][s'] = p(s'|s, a), each row summing to exactly 1
   * @param reward reward[s][a] = r(s, a)
   * @param gamma the discount
   * @param initial rho over states
   * @return the model
   * @throws ModelException when a row does not sum to 1 or shapes disagree
   */
  public static TabularMdp<Integer, Integer> dense(String name, BigFraction[][][] prob,
      BigFraction[][] reward, BigFraction gamma, BigFraction[] initial) {
    int s = prob.length;
    int a = prob[0].length;
    int rows = s * a;
    int[] rowStart = new int[s + 1];
    int[] rowAction = new int[rows];
    int[] entryStart = new int[rows + 1];
    List<Integer> next = new ArrayList<>();
    List<BigFraction> p = new ArrayList<>();
    BigFraction[] r = new BigFraction[rows];
    for (int i = 0; i < s; i++) {
      rowStart[i] = i * a;
      if (prob[i].length != a || reward[i].length != a) {
        throw new ModelException(name + ": state " + i + " has " + prob[i].length
            + " actions, state 0 has " + a);
      }
      for (int j = 0; j < a; j++) {
        int row = i * a + j;
        rowAction[row] = j;
        entryStart[row] = next.size();
        if (prob[i][j].length != s) {
          throw new ModelException(name + ": state " + i + ", action " + j + " has "
              + prob[i][j].length + " next-state probabilities, expected " + s);
        }
        for (int k = 0; k < s; k++) {
          if (Rationals.signum(prob[i][j][k]) != 0) {
            next.add(k);
            p.add(prob[i][j][k]);
          }
        }
        r[row] = reward[i][j];
      }
    }
    rowStart[s] = rows;
    entryStart[rows] = next.size();
    int[] nx = new int[next.size()];
    for (int k = 0; k < nx.length; k++) {
      nx[k] = next.get(k);
    }
    TabularMdp.Exact ex = new TabularMdp.Exact(p.toArray(new BigFraction[0]), r, gamma,
        initial.clone());
    return TabularMdp.of(name, numbered("state", s), numbered("action", a), rowStart, rowAction,
        entryStart, nx, new double[nx.length], new double[rows], new boolean[s], 0.0,
        new double[s], ex);
  }

  /**
   * The linear-MDP construction P = Phi M, r = Phi w (exact).
   *
   * @param states S
   * @param actions A
   * @param phi (S*A) x d, rows non-negative summing to 1 (row s*A + a is phi(s, a))
   * @param m d x S, rows probability distributions
   * @param w d reward weights
   * @param gamma the discount
   * @return the model and Phi
   * @throws ModelException naming the row that is not a distribution
   */
  public static WithFeatures linear(int states, int actions, BigFraction[][] phi,
      BigFraction[][] m, BigFraction[] w, BigFraction gamma) {
    int d = w.length;
    if (phi.length != states * actions) {
      throw new ModelException("linear MDP: Phi has " + phi.length + " rows, expected S*A = "
          + states * actions);
    }
    checkDistributions("Phi", phi, d);
    checkDistributions("M", m, states);
    BigFraction[][][] p = new BigFraction[states][actions][states];
    BigFraction[][] r = new BigFraction[states][actions];
    for (int s = 0; s < states; s++) {
      for (int a = 0; a < actions; a++) {
        BigFraction[] row = phi[s * actions + a];
        BigFraction rr = BigFraction.ZERO;
        for (int k = 0; k < d; k++) {
          rr = rr.add(row[k].multiply(w[k]));
        }
        r[s][a] = rr;
        for (int t = 0; t < states; t++) {
          BigFraction acc = BigFraction.ZERO;
          for (int k = 0; k < d; k++) {
            acc = acc.add(row[k].multiply(m[k][t]));
          }
          p[s][a][t] = acc;
        }
      }
    }
    BigFraction[] rho = new BigFraction[states];
    java.util.Arrays.fill(rho, new BigFraction(1, states));
    TabularMdp<Integer, Integer> mdp = dense("linear-mdp(" + states + "," + actions + "," + d
        + ")", p, r, gamma, rho);
    return new WithFeatures(mdp, LinearFeatures.fromExact(phi, "linear-MDP features (d = " + d
        + ")"));
  }

  private static void checkDistributions(String what, BigFraction[][] rows, int width) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new ModelException("linear MDP: row " + i + " of " + what + " has "
            + rows[i].length + " entries, expected " + width);
      }
      BigFraction sum = BigFraction.ZERO;
      for (BigFraction x : rows[i]) {
        if (Rationals.signum(x) < 0) {
          throw new ModelException("linear MDP: row " + i + " of " + what + " has a negative "
              + "entry " + Rationals.format(x));
        }
        sum = sum.add(x);
      }
      if (!sum.equals(BigFraction.ONE)) {
        throw new ModelException("linear MDP: row " + i + " of " + what + " sums to "
            + Rationals.format(sum) + ", not 1");
      }
    }
  }

  static Indexer<Integer> numbered(String kind, int n) {
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      xs.add(i);
    }
    return Indexer.of(kind, xs);
  }
}
