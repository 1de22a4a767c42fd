package dev.fixpoint.examples;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.Forest.Action;
import dev.fixpoint.examples.Forest.Age;
import dev.fixpoint.examples.Gambler.Capital;
import dev.fixpoint.examples.Gambler.Stake;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.examples.GridWorld.Move;
import dev.fixpoint.examples.TourStep.Check;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import dev.fixpoint.tabular.solve.ValueIteration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The guided tour: every textbook model of this module solved, each published number next to
 * ours. Nothing is printed here; {@link #lines()} returns the report for the {@code fixpoint tour}
 * command to print.
 *
 * <p>Agreement is judged honestly against what the source prints: a number printed with d
 * decimals agrees when ours is within half a unit of its last digit; an exact number agrees only
 * when ours is equal. The pymdptoolbox value-iteration results are reproduced (by running the same
 * number of sweeps) and shown next to the exact optimum, which they are far from.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Tour {
  private Tour() {}

  /** {@return every stop of the tour, in order; each solves its model afresh} */
  public static List<TourStep> run() {
    return List.of(gridPolicy(), gridOptimal(), gridEpisodic(), gambler(), forest90(),
        forest96(), small());
  }

  /** {@return the tour as text lines: a header, each step's lines, a summary} */
  public static List<String> lines() {
    List<TourStep> steps = run();
    List<String> out = new ArrayList<>();
    out.add("fixpoint tour: textbook models, their published numbers and ours");
    int agree = 0;
    for (TourStep s : steps) {
      out.add("");
      out.addAll(s.lines());
      agree += s.agrees() ? 1 : 0;
    }
    out.add("");
    out.add(agree + " of " + steps.size() + " steps agree with their sources");
    return out;
  }

  // ---------------------------------------------------------------- the steps

  private static TourStep gridPolicy() {
    TabularMdp<Cell, Move> m = GridWorld.suttonBarto35().tabulate();
    Solution<Cell, Move> sol = PolicyEvaluation.exact(m, Policy.<Cell, Move>uniform().tabulate(m));
    return new TourStep("Example 3.5 gridworld: v_pi of the equiprobable random policy",
        "Sutton & Barto (2018), Figure 3.2 (one decimal)", sol.method(),
        gridRows(GridWorld.figure32(), c -> sol.values().value(c)),
        List.of("exact value at A: " + decimal(sol.values().exactValue(GridWorld.A), 6)));
  }

  private static TourStep gridOptimal() {
    TabularMdp<Cell, Move> m = GridWorld.suttonBarto35().tabulate();
    Solution<Cell, Move> sol = PolicyIteration.solveExact(m);
    List<Check> checks = new ArrayList<>(gridRows(GridWorld.figure35(),
        c -> sol.values().value(c)));
    // by hand: from A take +10 to A', walk 4 steps back: v*(A) = 10 / (1 - 0.9^5)
    BigFraction byHand = new BigFraction(1_000_000, 40_951);
    BigFraction ours = sol.values().exactValue(GridWorld.A);
    checks.add(new Check("v*(A) exactly", "10/(1-0.9^5) = " + Rationals.format(byHand),
        Rationals.format(ours), ours.equals(byHand)));
    return new TourStep("Example 3.5 gridworld: optimal values v*",
        "Sutton & Barto (2018), Figure 3.5 (one decimal); v*(A) by hand", sol.method(), checks,
        List.of(sol.certificate().kind() + ": " + sol.certificate().explain()));
  }

  private static TourStep gridEpisodic() {
    TabularMdp<Cell, Move> m = GridWorld.suttonBarto41().tabulate();
    Solution<Cell, Move> sol = PolicyEvaluation.exact(m, Policy.<Cell, Move>uniform().tabulate(m));
    long[][] book = GridWorld.figure41();
    List<Check> checks = new ArrayList<>();
    for (int r = 0; r < book.length; r++) {
      StringBuilder pub = new StringBuilder();
      StringBuilder our = new StringBuilder();
      boolean ok = true;
      for (int c = 0; c < book[r].length; c++) {
        BigFraction v = sol.values().exactValue(new Cell(r, c));
        pub.append(c == 0 ? "" : " ").append(book[r][c]);
        our.append(c == 0 ? "" : " ").append(Rationals.format(v));
        ok &= v.equals(new BigFraction(book[r][c]));
      }
      checks.add(new Check("row " + r, pub.toString(), our.toString(), ok));
    }
    return new TourStep("Example 4.1 gridworld: v_pi of the equiprobable random policy",
        "Sutton & Barto (2018), Figure 4.1, k = infinity (whole numbers)", sol.method(), checks,
        List.of());
  }

  private static TourStep gambler() {
    TabularMdp<Capital, Stake> m = Gambler.suttonBarto().tabulate();
    Solution<Capital, Stake> sol = PolicyIteration.solveExact(m);
    List<Check> checks = new ArrayList<>();
    int[] at = {25, 50, 75};
    BigFraction[] byHand = {new BigFraction(4, 25), new BigFraction(2, 5),
        new BigFraction(16, 25)};
    for (int i = 0; i < at.length; i++) {
      BigFraction v = sol.values().exactValue(new Capital(at[i]));
      checks.add(new Check("v*(" + at[i] + ")", Rationals.format(byHand[i]),
          Rationals.format(v), v.equals(byHand[i])));
    }
    return new TourStep("Example 4.3 gambler's problem (p_h = 0.4, goal 100): v*",
        "Sutton & Barto (2018), Figure 4.3 (a plot); exact values of bold play by hand "
            + "(Dubins & Savage 1965)", sol.method(), checks,
        List.of("many stakes are optimal in many states; the policy found is one of them "
            + "(the book's Figure 4.3 shows another)"));
  }

  private static TourStep forest90() {
    TabularMdp<Age, Action> m = Forest.pymdptoolbox().tabulate();
    Solution<Age, Action> sol = PolicyIteration.solveExact(m);
    List<Check> checks = new ArrayList<>();
    checks.add(vector("V*", "26.244 29.484 33.484", 3, sol));
    checks.add(policyCheck("policy", "(0, 0, 0)", sol, m));
    return new TourStep("pymdptoolbox forest (S 3, r1 4, r2 2, p 0.1), gamma 0.9",
        "pymdptoolbox docs, mdp.PolicyIteration example", sol.method(), checks,
        List.of("exactly " + exactVector(sol, m)));
  }

  private static TourStep forest96() {
    TabularMdp<Age, Action> m = Forest.pymdptoolbox().tabulate()
        .withDiscount(new BigFraction(24, 25));
    Solution<Age, Action> sol = PolicyIteration.solveExact(m);
    List<Check> checks = new ArrayList<>();
    checks.add(vector("V* (hand-solved)", "74.6496 78.1056 82.1056", 4, sol));
    Solution<Age, Action> four = ValueIteration.jacobi().withMaxIterations(4).solve(m);
    checks.add(compare("toolbox VI (4 sweeps)", "5.93215488 9.38815488 13.38815488", 8,
        four.values().toArray()));
    Solution<Age, Action> tight = ValueIteration.jacobi().solve(m);
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "the toolbox's documented VI result (vi.iter = 4) is "
        + "%.2f from V* (sup norm): it is not V*; ours after the same 4 sweeps says so: %s",
        distance(four, sol), describe(four)));
    notes.add(String.format(Locale.ROOT, "our VI at its default tolerance: %s, error %.2g",
        describe(tight), distance(tight, sol)));
    return new TourStep("pymdptoolbox forest, gamma 0.96",
        "pymdptoolbox docs, mdp.ValueIteration example; V* solved by hand", sol.method(), checks,
        notes);
  }

  private static TourStep small() {
    TabularMdp<Integer, Integer> m = PyMdpToolbox.small().tabulate();
    Solution<Integer, Integer> sol = PolicyIteration.solveExact(m);
    List<Check> checks = new ArrayList<>();
    BigFraction v0 = sol.values().exactValue(0);
    BigFraction v1 = sol.values().exactValue(1);
    checks.add(new Check("V* (by hand)", "1825/43 1550/43",
        Rationals.format(v0) + " " + Rationals.format(v1),
        v0.equals(new BigFraction(1825, 43)) && v1.equals(new BigFraction(1550, 43))));
    checks.add(policyCheck("policy", "(1, 0)", sol, m));
    Solution<Integer, Integer> early = ValueIteration.jacobi().withMaxIterations(26).solve(m);
    checks.add(compare("toolbox VI (26 sweeps)", "40.048625392716815 33.65371175967546", 15,
        early.values().toArray()));
    return new TourStep("pymdptoolbox small, gamma 0.9",
        "pymdptoolbox docs, example.small and mdp.ValueIteration example; V* by hand",
        sol.method(), checks, List.of(String.format(Locale.ROOT,
            "the toolbox's documented VI result (vi.iter = 26) is %.2f from V* (sup norm); ours "
                + "after the same 26 sweeps: %s", distance(early, sol), describe(early))));
  }

  // ---------------------------------------------------------------- helpers

  /** One check per grid row: ours printed to one decimal, agreeing within 0.05 of the book. */
  private static List<Check> gridRows(double[][] book, ToDoubleFunction<Cell> v) {
    List<Check> out = new ArrayList<>();
    for (int r = 0; r < book.length; r++) {
      StringBuilder pub = new StringBuilder();
      StringBuilder our = new StringBuilder();
      boolean ok = true;
      for (int c = 0; c < book[r].length; c++) {
        double x = v.applyAsDouble(new Cell(r, c));
        pub.append(c == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", book[r][c]));
        our.append(c == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", x));
        ok &= Math.abs(x - book[r][c]) <= 0.05 + 1e-12;
      }
      out.add(new Check("row " + r, pub.toString(), our.toString(), ok));
    }
    return out;
  }

  private static Check vector(String quantity, String published, int decimals,
      Solution<?, ?> sol) {
    return compare(quantity, published, decimals, sol.values().toArray());
  }

  /** Agreement within half a unit of the published last digit. */
  private static Check compare(String quantity, String published, int decimals, double[] ours) {
    String[] parts = published.split(" ");
    StringBuilder our = new StringBuilder();
    boolean ok = parts.length == ours.length;
    for (int i = 0; i < ours.length; i++) {
      our.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%." + decimals + "f",
          ours[i]));
      if (i < parts.length) {
        double pub = Double.parseDouble(parts[i]);
        // half a unit of the last printed digit, plus the rounding of reading both as doubles
        ok &= Math.abs(ours[i] - pub) <= 0.5 * Math.pow(10, -decimals) + 2 * Math.ulp(pub);
      }
    }
    return new Check(quantity, published, our.toString(), ok);
  }

  private static <S, A> Check policyCheck(String quantity, String published, Solution<S, A> sol,
      TabularMdp<S, A> m) {
    StringBuilder our = new StringBuilder("(");
    for (int s = 0; s < m.numStates(); s++) {
      A a = sol.policy().action(m.states().value(s));
      our.append(s == 0 ? "" : ", ").append(m.actions().indexOf(a));
    }
    String text = our.append(')').toString();
    return new Check(quantity, published, text, text.equals(published));
  }

  private static <S, A> String exactVector(Solution<S, A> sol, TabularMdp<S, A> m) {
    StringBuilder b = new StringBuilder("(");
    for (int s = 0; s < m.numStates(); s++) {
      b.append(s == 0 ? "" : ", ").append(Rationals.format(
          sol.values().exactValue(m.states().value(s))));
    }
    return b.append(')').toString();
  }

  /** {@return ||v - v*||_inf between a solution's values and the exact optimum's} */
  private static double distance(Solution<?, ?> v, Solution<?, ?> exact) {
    double[] x = v.values().toArray();
    double[] y = exact.values().toArray();
    double d = 0;
    for (int s = 0; s < x.length; s++) {
      d = Math.max(d, Math.abs(x[s] - y[s]));
    }
    return d;
  }

  /** {@return sweeps, convergence and what the certificate guarantees, in a few words} */
  private static String describe(Solution<?, ?> sol) {
    return sol.iterations() + " sweeps, " + (sol.converged() ? "converged" : "NOT converged")
        + ", certificate " + describe(sol.certificate());
  }

  private static String describe(Certificate c) {
    return switch (c) {
      case Certificate.Exact e -> "exact";
      case Certificate.SupNorm s -> String.format(Locale.ROOT,
          "sup-norm bound %.3g on |V - V*|", s.valueBound());
      case Certificate.None n -> "none (" + n.explain() + ")";
    };
  }

  private static String decimal(BigFraction f, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", Rationals.toDouble(f));
  }
}
