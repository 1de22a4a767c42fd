package dev.fixpoint.tabular.gflownet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeConditionedTrainerTest {
  static final TabularFlowNetwork<Integer> TOY = ToyEnvironments.foundationsDag().tabulate();
  static final BackwardTable UNIFORM = TOY.backward(BackwardPolicy.uniform());

  @Test
  void untrainedSuccessIsOneOverTheNumberOfOutcomes() {
    // With all-zero logits every goal has the same policy P_F, and sum_y P_T(y) = 1, so the mean
    // over goals of P_T(y | y) is exactly 1/|X| whatever the DAG.
    var run = new OutcomeConditionedTrainer(16, 0.05, 0).run(TOY, UNIFORM, 16, 1, 0);
    assertEquals(1.0 / TOY.terminatingStates().length, run.meanSuccess()[0], 1e-12);
  }

  @Test
  void goalSamplingWithHindsightReachesEveryGoal() {
    // The exact target (OutcomeConditioned.toward) reaches y with probability 1 for every y.
    var run = new OutcomeConditionedTrainer(16, 0.05, 0).run(TOY, UNIFORM, 16_000, 100, 1);
    double[] s = OutcomeConditionedTrainer.successRates(TOY, run.goals(), run.logits());
    for (int k = 0; k < s.length; k++) {
      assertTrue(s[k] > 0.95, "goal " + TOY.state(run.goals()[k]) + ": P_T(y|y) = " + s[k]);
    }
    assertTrue(run.meanSuccess()[run.meanSuccess().length - 1] > 0.95);
  }

  @Test
  void hyperGridGoalsAreLearnedToo() {
    HyperGrid grid = HyperGrid.of(2, 4);
    TabularFlowNetwork<List<Integer>> net = grid.tabulate();
    var run = new OutcomeConditionedTrainer(16, 0.05, 0.05)
        .run(net, net.backward(BackwardPolicy.uniform()), 32_000, 500, 2);
    double first = run.meanSuccess()[0];
    double last = run.meanSuccess()[run.meanSuccess().length - 1];
    assertEquals(1.0 / 16, first, 1e-12);
    assertTrue(last > 0.9, "mean success " + last);
  }

  @Test
  void sameSeedSameRunAndBadArgumentsAreRefused() {
    var t = new OutcomeConditionedTrainer(8, 0.05, 0.1);
    var a = t.run(TOY, UNIFORM, 800, 10, 9);
    var b = t.run(TOY, UNIFORM, 800, 10, 9);
    assertArrayEquals(a.meanSuccess(), b.meanSuccess());
    assertArrayEquals(a.logits()[0], b.logits()[0]);
    assertThrows(ModelException.class, () -> new OutcomeConditionedTrainer(0, 0.05, 0));
    assertThrows(ModelException.class, () -> new OutcomeConditionedTrainer(8, 0.05, 2));
  }
}
