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
