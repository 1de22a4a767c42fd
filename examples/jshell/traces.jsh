// Off-policy eligibility traces (Daley, White, Amato & Machado, ICML 2023): a user's own trace
// rule as a state machine, its exact expected operator M with its contraction certificate, a
// lambda sweep of the certified modulus ||Z||_inf next to Retrace and RBIS, and the online
// learner reaching Q^pi. Model: a -x-> b, a -y-> c or the end (reward 1) with 1/2 each;
// b -x-> c (reward 1), b -y-> end; c -x-> end (reward 2), c -y-> end (reward -1); gamma 9/10.
var m = Mdp.<String, String>of(List.of("a", "b", "c", "end"),
    s -> s.equals("end") ? List.<String>of() : List.of("x", "y"),
    (s, a) -> switch (s + a) {
      case "ax" -> Dist.dirac(Outcome.of("b", 0));
      case "ay" -> Dist.uniform(Outcome.of("c", 0), Outcome.of("end", 1));
      case "bx" -> Dist.dirac(Outcome.of("c", 1));
      case "by" -> Dist.dirac(Outcome.of("end", 0));
      case "cx" -> Dist.dirac(Outcome.of("end", 2));
      default -> Dist.dirac(Outcome.of("end", -1));
    }, "9/10").withTerminal(List.of("end")).withInitial(Dist.dirac("a")).tabulate();
Policy<String, String> pi = Policy.stochastic(s -> Dist.ofExact(List.of("x", "y"),
    new BigFraction[] {Rationals.parse("3/4"), Rationals.parse("1/4")}));
Policy<String, String> mu = Policy.uniform();
// My rule, "flat cap": beta_t = min(lambda, rho_t beta_{t-1}); it never grows faster than the
// IS product allows (Condition 5.1), so M should be a gamma-contraction.
TraceRule flat(BigFraction l) {
  return TraceRule.custom("flat cap " + l, BigFraction.ONE, (beta, t, rho, p) -> {
    BigFraction b = rho.multiply(beta).compareTo(l) < 0 ? rho.multiply(beta) : l;
    return new TraceRule.Update(b, b);
  });
}
var mine = TraceOperators.exact(m, pi, mu, flat(Rationals.parse("9/10")));
System.out.println(mine.certificate().explain());
System.out.printf("%-8s %-16s %-16s %-16s%n", "lambda", "||Z|| flat cap", "||Z|| Retrace", "||Z|| RBIS");
for (String l : List.of("0", "1/4", "1/2", "3/4", "9/10", "1")) {
  var lam = Rationals.parse(l);
  System.out.printf("%-8s %-16s %-16s %-16s%n", l,
      Rationals.format(TraceOperators.exact(m, pi, mu, flat(lam)).norm()),
      Rationals.format(TraceOperators.exact(m, pi, mu, TraceRule.retrace(lam)).norm()),
      Rationals.format(TraceOperators.exact(m, pi, mu, TraceRule.rbis(lam)).norm()));
}
// Q^pi in one application: plain IS with lambda = 1 has Z = 0 (spec 4.1).
BigFraction[] zero = new BigFraction[m.numRows()];
Arrays.fill(zero, BigFraction.ZERO);
BigFraction[] qPiExact = TraceOperators.exact(m, pi, mu, TraceRule.importanceSampling("1")).apply(zero);
double[] qPi = Rationals.toDoubles(qPiExact);
// every rule fixes Q^pi (spec (3)), the user's included, exactly
if (!Arrays.equals(mine.apply(qPiExact), qPiExact)) throw new AssertionError("M Q^pi != Q^pi");
// The online learner (per-time-step traces, spec 2.3), behaviour mu, target pi, alpha 0.05.
var learner = OffPolicyTraces.evaluation(flat(Rationals.parse("9/10")), 0.05, pi.tabulate(m),
    mu.tabulate(m));
var state = ControlState.initial(m, 0);
var rng = new java.util.SplittableRandom(1);
for (int e = 0; e < 3000; e++) state = learner.episode(m, state, rng, Experience.NO_CAP).state();
double err = 0;
for (int r = 0; r < qPi.length; r++) err = Math.max(err, Math.abs(state.q()[r] - qPi[r]));
System.out.println("Q^pi      " + Arrays.toString(qPi));
System.out.println("learned   " + Arrays.toString(state.q()));
System.out.println("max error " + err);
if (!mine.certificate().isContraction()) throw new AssertionError("flat cap satisfies Condition 5.1");
if (mine.norm().compareTo(Rationals.parse("9/10")) > 0) throw new AssertionError("||Z|| above gamma");
if (err > 0.15) throw new AssertionError("the learner is far from Q^pi: " + err);
