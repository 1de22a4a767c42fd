// Solve Gymnasium's slippery FrozenLake 4x4 (gamma 1: values are success probabilities) and draw
// its values with the optimal policy's arrows as PNG and SVG files.
import dev.fixpoint.examples.plot.*;
var lake = FrozenLake.fourByFour().tabulate();
var solution = PolicyIteration.solveExact(lake);
var grid = Plots.heatMap("FrozenLake 4x4: P(reach the goal) under pi*", GridView.frozenLake(FrozenLake.MAP_4X4), solution);
var dir = java.nio.file.Files.createTempDirectory("fixpoint-plot");
var files = Plots.write(grid, dir, "frozenlake-4x4");
System.out.println("wrote " + files.png() + " and " + files.svg());
// from the start the goal is reached with probability 14/17 (checked by hand in FrozenLakeTest)
if (Math.abs(grid.value(0, 0) - 14.0 / 17) > 1e-12) throw new AssertionError("value at S = " + grid.value(0, 0));
if (java.nio.file.Files.size(files.png()) == 0 || java.nio.file.Files.size(files.svg()) == 0) throw new AssertionError("empty picture");
// tidy up the temporary folder
java.nio.file.Files.delete(files.png());
java.nio.file.Files.delete(files.svg());
java.nio.file.Files.delete(dir);
