// Policy mirror descent on Sutton & Barto's Example 3.5 gridworld: the gap V*(rho) - V^{pi_k}(rho)
// (rho uniform) for the KL, Euclidean and Tsallis(1/2) maps under constant, geometric and adaptive
// steps, beside each schedule's convergence bound (theory.mirror.MirrorBounds), then one log-scale
// picture. MirrorDescentExample.main() does the same for 40 updates and also on a Garnet MDP.
import dev.fixpoint.examples.mirror.*;
import dev.fixpoint.examples.plot.*;
var curves = MirrorDescentExample.curves("gridworld", MirrorDescentExample.gridworld(), 10);
System.out.print(MirrorDescentExample.table(curves, 0, 1, 5, 10));
for (var c : curves) if (c.worstRatio() > 1 + 1e-9) throw new AssertionError(c.map() + " " + c.step() + " exceeds its bound");
// one bound, explained term by term
var m = MirrorDescentExample.gridworld();
double[] rho = new double[m.numStates()];
java.util.Arrays.fill(rho, 1.0 / m.numStates());
var opt = dev.fixpoint.theory.mirror.Optimum.of(m, rho);
System.out.println(dev.fixpoint.theory.mirror.MirrorBounds.pmdGeometric(opt, MirrorMap.kl(), 0.1, TabularPolicy.uniform(m), 5).explain());
var dir = java.nio.file.Files.createTempDirectory("fixpoint-mirror");
var files = Plots.write(MirrorDescentExample.figure(curves, MirrorDescentExample.STEPS.get(1)), dir, "mirror-gridworld-geometric");
System.out.println("wrote " + files.png() + " and " + files.svg());
java.nio.file.Files.delete(files.png());
java.nio.file.Files.delete(files.svg());
java.nio.file.Files.delete(dir);
