// Solve Sutton & Barto's Example 3.5 grid world exactly (policy iteration over rationals) and
// check v*(A) against the book: from A every action earns +10 and lands on A', from where the
// optimal path walks back to A in 4 steps, so v*(A) = 10 / (1 - 0.9^5) = 1000000/40951 = 24.4...
var grid = GridWorld.suttonBarto35().tabulate();
var solution = PolicyIteration.solveExact(grid);
var vA = solution.values().exactValue(GridWorld.A);
System.out.println("v*(A) = " + Rationals.format(vA) + " = " + Rationals.toDouble(vA));
System.out.println(solution.summary());
if (!vA.equals(new BigFraction(1000000, 40951))) throw new AssertionError("v*(A) = " + Rationals.format(vA) + ", expected 1000000/40951");
// the book's Figure 3.5 prints 24.4
if (Math.abs(Rationals.toDouble(vA) - 24.4) > 0.05) throw new AssertionError("v*(A) is not 24.4 to one decimal");
