package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.fraction.BigFraction;

/** Small hand-checkable models shared by the solver tests; each says where its values come from. */
final class TestModels {
  private TestModels() {}

  static BigFraction f(String text) {
    return Rationals.parse(text);
  }

  /**
   * A model from pymdptoolbox-style arrays: p[a][s][s'] and r[s][a], every action available in
   * every state, reward independent of the next state. Probabilities and rewards as text.
   */
  static TabularMdp<Integer, Integer> arrays(String name, String[][][] p, String[][] r,
      String gamma) {
    int n = r.length;
    int numA = p.length;
    List<Integer> states = range(n);
    List<Integer> actions = range(numA);
    return Mdp.<Integer, Integer>of(states, s -> actions, (s, a) -> {
      Map<Outcome<Integer>, BigFraction> w = new LinkedHashMap<>();
      for (int t = 0; t < n; t++) {
        BigFraction pr = f(p[a][s][t]);
        if (Rationals.signum(pr) != 0) {
          w.put(Outcome.of(t, f(r[s][a])), pr);
        }
      }
      return Dist.of(w);
    }, gamma).withName(name).tabulate();
  }

  static List<Integer> range(int n) {
    Integer[] xs = new Integer[n];
    for (int i = 0; i < n; i++) {
      xs[i] = i;
    }
    return List.of(xs);
  }

  /**
   * pymdptoolbox's {@code mdptoolbox.example.small()}: S = 2, A = 2, P[0] = [[.5,.5],[.8,.2]],
   * P[1] = [[0,1],[.1,.9]], R = [[5,10],[-1,2]] (R[s][a]), discount 0.9. Its documented optimum
   * (PolicyIteration): V = (42.4418604651163, 36.0465116279070), policy (1, 0); solving the
   * policy's 2x2 system by hand gives V = (1825/43, 1550/43).
   */
  static TabularMdp<Integer, Integer> small() {
    return arrays("small",
        new String[][][] {{{".5", ".5"}, {".8", ".2"}}, {{"0", "1"}, {".1", ".9"}}},
        new String[][] {{"5", "10"}, {"-1", "2"}}, "0.9");
  }

  /**
   * pymdptoolbox's {@code mdptoolbox.example.forest()} with its defaults S = 3, r1 = 4, r2 = 2,
   * p = 0.1: action 0 = wait, 1 = cut. Wait: P = [[p, 1-p, 0], [p, 0, 1-p], [p, 0, 1-p]], R =
   * (0, 0, r1); cut: back to 0, R = (0, 1, r2).
   */
  static TabularMdp<Integer, Integer> forest(String gamma) {
    return arrays("forest",
        new String[][][] {
            {{".1", ".9", "0"}, {".1", "0", ".9"}, {".1", "0", ".9"}},
            {{"1", "0", "0"}, {"1", "0", "0"}, {"1", "0", "0"}}},
        new String[][] {{"0", "0"}, {"0", "1"}, {"4", "2"}}, gamma);
  }

  /**
   * A deterministic two-state cycle with one action: A -> B with reward 1, B -> A with reward 2.
   * By hand: V(A) = 1 + gamma V(B), V(B) = 2 + gamma V(A), so V(A) = (1 + 2 gamma)/(1 - gamma^2),
   * V(B) = (2 + gamma)/(1 - gamma^2); at gamma = 1/2: V = (8/3, 10/3).
   */
  static TabularMdp<String, String> cycle(String gamma) {
    return Mdp.<String, String>of(List.of("A", "B"), s -> List.of("go"),
        (s, a) -> s.equals("A") ? Dist.dirac(Outcome.of("B", 1)) : Dist.dirac(Outcome.of("A", 2)),
        gamma).withName("cycle").tabulate();
  }

  /**
   * Gamma = 1, states s0, s1 and terminal T. In s0: "walk" to s1 with reward -1, or "jump": to T
   * with reward -3 w.p. 1/2, else stay in s0 with reward 0. In s1: "walk" to T with reward -1. By
   * hand: walking from s0 is worth -1 + V(s1) = -2; always jumping is worth v = 1/2 (-3) + 1/2 v,
   * v = -3. So V* = (-2, -1, 0) with s0 -> walk.
   */
  static TabularMdp<String, String> walkOrJump() {
    return Mdp.<String, String>of(List.of("s0", "s1", "T"),
        s -> s.equals("s0") ? List.of("walk", "jump") : List.of("walk"),
        (s, a) -> {
          if (s.equals("s1")) {
            return Dist.dirac(Outcome.of("T", -1));
          }
          if (a.equals("walk")) {
            return Dist.dirac(Outcome.of("s1", -1));
          }
          return Dist.<Outcome<String>>builder().add(Outcome.of("T", -3), "1/2")
              .add(Outcome.of("s0", 0), "1/2").build();
        }, "1").withTerminal(Set.of("T")).withName("walk-or-jump").tabulate();
  }

  /**
   * Gamma = 1: state s has "stay" (self-loop, reward 0, listed first) and "exit" (to terminal T,
   * reward -1). Staying is improper; the only proper policy exits, value -1.
   */
  static TabularMdp<String, String> stayOrExit() {
    return Mdp.<String, String>of(List.of("s", "T"), s -> List.of("stay", "exit"),
        (s, a) -> a.equals("stay") ? Dist.dirac(Outcome.of("s", 0)) : Dist.dirac(Outcome.of("T",
            -1)), "1").withTerminal(Set.of("T")).withName("stay-or-exit").tabulate();
  }

  /**
   * Gamma = 1: from s0 the only action reaches T w.p. 1/2 and the absorbing trap w.p. 1/2; s1 goes
   * to T. s0 can reach T, but not with probability 1 under any policy; nor can trap.
   */
  static TabularMdp<String, String> halfTrap() {
    return Mdp.<String, String>of(List.of("s0", "s1", "trap", "T"), s -> List.of("go"),
        (s, a) -> switch (s) {
          case "s0" -> Dist.<Outcome<String>>builder().add(Outcome.of("T", 0), "1/2")
              .add(Outcome.of("trap", 0), "1/2").build();
          case "trap" -> Dist.dirac(Outcome.of("trap", 0));
          default -> Dist.dirac(Outcome.of("T", 0));
        }, "1").withTerminal(Set.of("T")).withName("half-trap").tabulate();
  }

  /**
   * Gamma = 1: a and b each may "exit" to T with reward -1 or move to the other with reward +1.
   * Cycling between them earns +1 per step forever, so the optimal value is unbounded.
   */
  static TabularMdp<String, String> positiveCycle() {
    return Mdp.<String, String>of(List.of("a", "b", "T"), s -> List.of("exit", "swap"),
        (s, act) -> act.equals("exit") ? Dist.dirac(Outcome.of("T", -1))
            : Dist.dirac(Outcome.of(s.equals("a") ? "b" : "a", 1)), "1")
        .withTerminal(Set.of("T")).withName("positive-cycle").tabulate();
  }
}
