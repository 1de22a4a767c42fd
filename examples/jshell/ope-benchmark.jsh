// The OPE benchmark on FrozenLake 4x4 (slippery, H = 12): eight epsilon-greedy candidates around
// the greedy H-step policy, behaviour eps = 1/2, n = 100 logged trajectories. Prints the exact
// bias / variance / MSE per estimator and candidate (WIS and WDR simulated over R = 50 datasets)
// and writes four figures to target/ope-benchmark (PNG and SVG).
import dev.fixpoint.examples.ope.*;
var result = OpeBenchmark.run(12, 100, 50, 1);
System.out.print(result.table());
var files = OpeBenchmark.write(result, java.nio.file.Path.of("target", "ope-benchmark"));
files.forEach(f -> System.out.println("wrote " + f.png()));
// IS, PDIS, DR and MIS are exactly unbiased on every candidate
for (var row : result.rows()) {
  if (List.of("IS", "PDIS", "DR", "MIS").contains(row.estimator()) && Math.abs(row.bias()) > 1e-12) throw new AssertionError(row.toString());
}
