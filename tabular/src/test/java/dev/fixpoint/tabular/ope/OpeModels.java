package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;

/** Small hand-checkable OPE models: the regression cases R1 and R2 of spec estimators.md. */
final class OpeModels {
  private OpeModels() {}

  /** A model, its target and behaviour policies. */
  record Case(TabularMdp<Integer, Integer> mdp, TabularPolicy<Integer, Integer> pi,
      TabularPolicy<Integer, Integer> mu) {}

  static BigFraction f(String s) {
    return Rationals.parse(s);
  }

  /**
   * Two states, two actions, deterministic: next[s][a], reward[s][a]; d_0, pi and mu over rows s*2+a.
   */
  static Case deterministic(int[][] next, String[][] reward, String[] d0, String[] pi,
      String[] mu, String gamma) {
    int n = next.length;
    List<Integer> states = n == 1 ? List.of(0) : List.of(0, 1);
    List<Integer> actions = List.of(0, 1);
    BigFraction[] init = new BigFraction[n];
    for (int s = 0; s < n; s++) {
      init[s] = f(d0[s]);
    }
    TabularMdp<Integer, Integer> m = Mdp.<Integer, Integer>of(states, s -> actions,
        (s, a) -> Dist.dirac(Outcome.of(next[s][a], f(reward[s][a]))), gamma)
        .withInitial(Dist.ofExact(states, init)).withName("det").tabulate();
    return new Case(m, policy(m, pi), policy(m, mu));
  }

  static TabularPolicy<Integer, Integer> policy(TabularMdp<Integer, Integer> m, String[] p) {
    BigFraction[] x = new BigFraction[p.length];
    for (int i = 0; i < p.length; i++) {
      x[i] = f(p[i]);
    }
    return TabularPolicy.ofExact(m, x);
  }

  /**
   * R1 (spec section 6): d_0 = (1/3, 2/3); T[0][0] = (0, 4), T[0][1] = (1, 0), T[1][0] = (0, 2),
   * T[1][1] = (1, 4/3); pi(.|0) = (1/3, 2/3), pi(.|1) = (7/9, 2/9); mu(.|0) = (3/5, 2/5),
   * mu(.|1) = (1/3, 2/3); H = 2, gamma = 1.
   */
  static Case r1() {
    return deterministic(new int[][] {{0, 1}, {0, 1}}, new String[][] {{"4", "0"}, {"2", "4/3"}},
        new String[] {"1/3", "2/3"}, new String[] {"1/3", "2/3", "7/9", "2/9"},
        new String[] {"3/5", "2/5", "1/3", "2/3"}, "1");
  }

  /**
   * R2 (spec section 6): d_0 = (1/2, 1/2); T[0][0] = (0, 4/3), T[0][1] = (1, 0), T[1][0] = (0, 2),
   * T[1][1] = (0, 3); pi(.|0) = (5/8, 3/8), pi(.|1) = (1/3, 2/3); mu(.|0) = (1/2, 1/2),
   * mu(.|1) = (3/8, 5/8); H = 2, gamma = 1.
   */
  static Case r2() {
    return deterministic(new int[][] {{0, 1}, {0, 0}}, new String[][] {{"4/3", "0"}, {"2", "3"}},
        new String[] {"1/2", "1/2"}, new String[] {"5/8", "3/8", "1/3", "2/3"},
        new String[] {"1/2", "1/2", "3/8", "5/8"}, "1");
  }

  /**
   * A one-state bandit (H = 1): action 0 pays 1, action 1 pays 0; pi = (3/4, 1/4), mu = (1/2, 1/2).
   */
  static Case bandit() {
    return deterministic(new int[][] {{0, 0}}, new String[][] {{"1", "0"}}, new String[] {"1"},
        new String[] {"3/4", "1/4"}, new String[] {"1/2", "1/2"}, "1");
  }

  /**
   * A chain 0 -> 1 -> 2 (terminal), two actions: from 0 action a pays a, from 1 action a pays 2a;
   * d_0 = state 0; pi uniform, mu = (1/4, 3/4). J(pi) = 1/2 + 1 = 3/2 (gamma = 1).
   */
  static Case chain() {
    List<Integer> states = List.of(0, 1, 2);
    TabularMdp<Integer, Integer> m = Mdp.<Integer, Integer>of(states,
        s -> s == 2 ? List.of() : List.of(0, 1),
        (s, a) -> Dist.dirac(Outcome.of(s + 1, s == 0 ? a : 2 * a)), "1")
        .withTerminal(List.of(2)).withInitial(Dist.dirac(0)).withName("chain").tabulate();
    return new Case(m, policy(m, new String[] {"1/2", "1/2", "1/2", "1/2"}),
        policy(m, new String[] {"1/4", "3/4", "1/4", "3/4"}));
  }
}
