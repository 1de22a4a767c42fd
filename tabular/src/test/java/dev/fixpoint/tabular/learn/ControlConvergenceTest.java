package dev.fixpoint.tabular.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.PolicyIteration;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Control learners on the hand model (gamma = 1/2), whose optimum is computed by hand: V*(B) =
 * max(1/2 V*(A), 4) and V*(A) = max(2 + 1/2 V*(B), -1) give V* = (4, 4) and q* = (4, -1, 2, 4) over
 * rows A-l, A-r, B-l, B-r; the optimal policy takes l in A and r in B.
 */
class ControlConvergenceTest {
  static final TabularMdp<String, String> M = LearnModels.hand();
  static final double[] Q_STAR = {4, -1, 2, 4};

  @Test
  void handOptimumAgreesWithPolicyIteration() {
    assertArrayEquals(new BigFraction[] {new BigFraction(4), new BigFraction(-1),
        new BigFraction(2), new BigFraction(4)}, PolicyIteration.solveExact(M).q().toExactArray());
  }

  // Deterministic model: Q-learning with alpha = 1/2 and epsilon = 1/2 visits every pair and
  // contracts to q* geometrically; Expected Sarsa with a greedy target does the same.
  @Test
  void qLearningFindsQStar() {
    RunOptions o = RunOptions.defaults().withTruth(Q_STAR);
    ControlRun<String, String> q = QLearning.of(0.5, 0.5).run(M, 500, 1L, o);
    assertArrayEquals(Q_STAR, q.q().toArray(), 1e-9);
    assertEquals(0, q.rmsError()[500], 1e-9);
    ControlRun<String, String> es = ExpectedSarsa.of(0.5, 0.5).withTarget(QPolicy.greedy())
        .run(M, 500, 1L, o);
    assertArrayEquals(Q_STAR, es.q().toArray(), 1e-9);
  }

  // MC control averages returns of the epsilon-greedy policy it follows; once the greedy policy
  // settles, Q approaches q of that epsilon-soft policy (S&B 2018, sec. 5.4), computed exactly.
  @Test
  void monteCarloControlFindsTheBestEpsilonSoftPolicy() {
    ControlRun<String, String> run = MonteCarloControl.of(0.1).run(M, 20000, 4L);
    assertArrayEquals(PolicyIteration.solveExact(M).policy().toArray(),
        run.greedyPolicy().toArray());
    TabularPolicy<String, String> soft = Policy.epsilonGreedy(QFunction.of(M, Q_STAR), "1/10")
        .tabulate(M);
    double[] qSoft = PolicyEvaluation.exact(M, soft).q().toArray();
    assertArrayEquals(qSoft, run.q().toArray(), 0.15);
  }

  // Sarsa with epsilon = 0.1 and a small constant step learns q of its epsilon-greedy policy
  // (S&B 2018, sec. 6.4), up to noise of order alpha.
  @Test
  void sarsaLearnsItsOwnPolicysValues() {
    ControlRun<String, String> run = Sarsa.of(0.02, 0.1).run(M, 20000, 8L);
    assertArrayEquals(PolicyIteration.solveExact(M).policy().toArray(),
        run.greedyPolicy().toArray());
    TabularPolicy<String, String> soft = Policy.epsilonGreedy(QFunction.of(M, Q_STAR), "1/10")
        .tabulate(M);
    assertArrayEquals(PolicyEvaluation.exact(M, soft).q().toArray(), run.q().toArray(), 0.15);
  }
}
