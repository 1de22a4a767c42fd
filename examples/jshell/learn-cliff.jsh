// Q-learning on Sutton & Barto's cliff walking (Example 6.6): with alpha = 0.5 and epsilon = 0.1
// it learns the optimal path along the edge of the cliff, 13 moves, return -13. A run is a fold
// over episodes with a seeded generator: the same seed gives the same run.
import dev.fixpoint.tabular.learn.*;
var cliff = CliffWalking.suttonBarto().tabulate();
var run = QLearning.of(0.5, 0.1).run(cliff, 500, 7L);
var greedy = run.greedyPolicy();
var s = CliffWalking.START;
int moves = 0;
long total = 0;
while (!s.equals(CliffWalking.GOAL) && moves < 100) {
  var a = greedy.action(s);
  total += (long) cliff.expectedReward(s, a);
  s = cliff.transition(s, a).outcome(0);
  moves++;
}
System.out.println("greedy path: " + moves + " moves, return " + total);
var exact = PolicyIteration.solveExact(cliff).values().exactValue(CliffWalking.START);
System.out.println("v*(start) by exact policy iteration: " + Rationals.format(exact));
if (moves != 13 || total != -13) throw new AssertionError("greedy path of " + moves + " moves, return " + total + "; expected 13 and -13");
if (!exact.equals(new BigFraction(-13))) throw new AssertionError("v*(start) = " + Rationals.format(exact));
