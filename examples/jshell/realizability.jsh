// Realizability versus Bellman completeness (spec Part B; docs/realizability.md).
// 1. The two-state off-policy counterexample (Sutton & Barto 2018, sec. 11.2): one feature with
//    values 1 and 2, state 1 -> 2 -> 2, r = 0, gamma = 9/10. By hand A = -4/5 mu_1 + 2/5 mu_2,
//    which vanishes at mu_1 = 1/3: expected TD(0) and FQE diverge for mu_1 > 1/3.
import dev.fixpoint.dsl.features.*;
import dev.fixpoint.theory.realizability.*;
import dev.fixpoint.examples.realizability.*;
System.out.println(RealizabilityExamples.sweep("9/10"));
var edge = RealizabilityExamples.boundary(new BigFraction(9, 10));
if (!edge.equals(new BigFraction(1, 3))) throw new AssertionError("boundary " + edge + ", expected 1/3 by hand");
if (RealizabilityExamples.twoState("9/10", "1/3").evaluate().hasFixedPoint()) throw new AssertionError("A = 0 at mu_1 = 1/3");
var bad = RealizabilityExamples.twoState("9/10", "1/2");
System.out.println(RealizabilityExamples.table(bad));
if (bad.evaluate().fqeSpectralRadius() <= 1) throw new AssertionError("FQE should diverge at mu_1 = 1/2");
// 2. Realizable but incomplete: the TD fixed point is exact although T^pi leaves the span.
var ri = RealizabilityExamples.realizableButIncomplete();
System.out.println(RealizabilityExamples.table(ri));
var riEval = ri.evaluate();
if (!riEval.isRealizable() || riEval.isComplete()) throw new AssertionError("expected realizable and incomplete");
if (riEval.tdError() != 0) throw new AssertionError("TD fixed point should be exact, error " + riEval.tdError());
// 3. A Bellman-complete linear MDP: IBE = 0 on every ball.
var lin = RealizabilityExamples.linearMdp();
System.out.println(RealizabilityExamples.table(lin));
if (!lin.evaluate().isComplete()) throw new AssertionError("linear MDP must be complete");
// 4. Pictures: A and the FQE radius against mu_1 (both cross at mu_1 = 1/3), and |theta_k| of
//    expected TD(0) on both sides of the boundary.
import dev.fixpoint.examples.plot.*;
var dir = java.nio.file.Files.createTempDirectory("fixpoint-realizability");
var sweepFiles = Plots.write(RealizabilityExamples.sweepFigure("9/10"), dir, "two-state-sweep");
var tdFiles = Plots.write(RealizabilityExamples.tdFigure("9/10", "1/6", "1/3", "1/2"), dir, "two-state-td");
System.out.println("wrote " + sweepFiles.png() + " and " + tdFiles.png());
if (java.nio.file.Files.size(tdFiles.png()) == 0) throw new AssertionError("empty picture");
// 5. Every quantity on your own model and features. The machine of custom-mdp.jsh: "ok" runs (10,
//    breaks w.p. 1/10) or maintains (6); "broken" repairs (-5). Typed features, phi = (1, [s = ok]);
//    behaviour uniform, target the optimal policy, mu the discounted occupancy of the behaviour.
//    (Grouped in blocks only to keep the script fast: JShell compiles each top-level snippet.)
var machine = Mdp.<String, String>of(List.of("ok", "broken"),
    s -> s.equals("ok") ? List.of("run", "maintain") : List.of("repair"),
    (s, a) -> switch (a) {
      case "run" -> Dist.<Outcome<String>>builder().add(Outcome.of("ok", 10), "9/10")
          .add(Outcome.of("broken", 10), "1/10").build();
      case "maintain" -> Dist.dirac(Outcome.of("ok", 6));
      default -> Dist.dirac(Outcome.of("ok", -5));
    }, "9/10").withName("machine").tabulate();
var phi = LinearFeatures.of(machine, Features.<String, String>of(2, (s, a) -> new double[] {1, s.equals("ok") ? 1 : 0}));
var target = PolicyIteration.solveExact(machine).policy();
var mu = DataWeights.of(machine, DataDistribution.occupancy(TabularPolicy.uniform(machine)));
var ev = Realizability.evaluate(machine, phi, mu, target);          // B1-B3, B6: see ev.table()
{
  System.out.println(ev.table());
  ev.bounds().forEach(b -> System.out.println(b.explain()));        // TD error, kappa_TD, zeta
  System.out.println(Realizability.supNormError(ev));               // sup-norm realizability (LP)
  System.out.println(Realizability.control(machine, phi, mu).table()); // the same for Q*
  System.out.println("complete for T (sufficient rank test): " + Realizability.isCompleteForOptimality(machine, phi));
  var ibe = InherentBellmanError.evaluation(machine, phi, mu, target, 10.0); // IBE on the ball, T^pi
  System.out.println(ibe.lower().explain() + "\n" + ibe.upper().explain());
  InherentBellmanError.optimality(machine, phi, mu, 10.0, 8, new java.util.SplittableRandom(1))
      .forEach(b -> System.out.println(b.explain()));               // IBE bounds, T
  System.out.println(Concentrability.single(machine, target, mu) + "\n" + Concentrability.all(machine, mu));
  System.out.println(Concentrability.perStep(machine, mu, 20).explain());
  Concentrability.munos(machine, mu, 20).forEach(b -> System.out.println(b.explain()));
  double[] f = ev.q();                                              // any f over rows
  for (int i = 0; i < f.length; i++) f[i] += 1.0 - 0.5 * i;
  System.out.println(BellmanToValue.opeBound(machine, target, f, mu).explain());
  System.out.println(BellmanToValue.controlBound(machine, f, mu).explain());
  System.out.println(BellmanToValue.supNormEvaluation(machine, target, f).explain());
  System.out.println(BellmanToValue.approximateValueIteration(0.9, 20, 1.0, 0.1).explain());
}
var data = TransitionData.draw(machine, mu, 1000, new java.util.SplittableRandom(7)); // finite samples
var lstd = SampleEstimators.lstd(data, phi, target).get();
{
  System.out.println("LSTD " + Arrays.toString(lstd) + ", error " + ev.errorOf(lstd) + " vs population " + ev.tdError());
  System.out.println(ev.fixedPointDistanceBound(lstd).explain());   // the 1/zeta amplification
  var fqe = SampleEstimators.fqe(data, phi, target, new double[2], 50).last();
  var td0 = SampleEstimators.td0(data, phi, target, 0.01, new double[2], 5).last();
  var popTd = PopulationIterates.expectedTd0(ev, 0.5, new double[2], 100);
  System.out.println("FQE " + Arrays.toString(fqe) + ", TD(0) " + Arrays.toString(td0) + ", E[TD(0)]_100 " + Arrays.toString(popTd[100]));
  double[] td = ev.tdFixedPoint().get();
  double dist2 = 0;
  for (int i = 0; i < ev.q().length; i++) {
    double v = 0;
    for (int j = 0; j < 2; j++) v += ev.phi()[i][j] * (lstd[j] - td[j]);
    dist2 += ev.mu()[i] * v * v;
  }
  if (!ev.fixedPointDistanceBound(lstd).holds(Math.sqrt(dist2), 1e-9)) throw new AssertionError("1/zeta bound fails on LSTD");
  if (!ev.tdErrorBound().holds(ev.tdError(), 1e-9)) throw new AssertionError("kappa_TD bound fails");
}
