package dev.fixpoint.tabular.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Same seed, same run bit for bit; another seed, another run; threads do not matter. */
class ReproducibilityTest {
  static final TabularMdp<Integer, String> WALK = LearnModels.randomWalk(19, -1);
  static final TabularPolicy<Integer, String> PI = LearnModels.walk(WALK);
  static final TabularMdp<LearnModels.Cell, LearnModels.Move> CLIFF = LearnModels.cliff();

  static final List<Prediction> PREDICTORS = List.of(Td0.of(0.1), NStepTd.of(4, 0.1),
      TdLambda.of(0.1, 0.8), TdLambda.of(0.1, 0.8).withTrace(TdLambda.Trace.REPLACING).asOffline(),
      TrueOnlineTd.of(0.1, 0.8), LambdaReturn.of(0.1, 0.8), MonteCarloPrediction.of(0.05));
  static final List<Control> CONTROLLERS = List.of(Sarsa.of(0.5, 0.1), QLearning.of(0.5, 0.1),
      ExpectedSarsa.of(0.5, 0.1), new MonteCarloControl(QPolicy.softmax(5), false));

  static RunOptions options() {
    return RunOptions.defaults().withSnapshotEvery(5).withMaxSteps(2000)
        .withTruth(new double[WALK.numStates()]);
  }

  @Test
  void predictionRunsRepeatBitForBit() {
    for (Prediction p : PREDICTORS) {
      PredictionRun<Integer> a = p.run(WALK, PI, 20, 5L, options());
      PredictionRun<Integer> b = p.run(WALK, PI, 20, 5L, options());
      PredictionRun<Integer> c = p.run(WALK, PI, 20, 6L, options());
      assertArrayEquals(a.values().toArray(), b.values().toArray(), p.label());
      assertArrayEquals(a.rmsError(), b.rmsError(), p.label());
      assertArrayEquals(a.lengths(), b.lengths(), p.label());
      assertEquals(5, a.snapshots().size(), "episodes 0, 5, 10, 15, 20");
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(a.snapshots().get(i).toArray(), b.snapshots().get(i).toArray());
      }
      assertFalse(Arrays.equals(a.lengths(), c.lengths()), p.label());
      assertFalse(Arrays.equals(a.values().toArray(), c.values().toArray()), p.label());
    }
  }

  // Policy fixed: episode k depends only on (seed, k), so every predictor sees the same episodes.
  @Test
  void predictorsShareTheirEpisodes() {
    int[] lengths = PREDICTORS.get(0).run(WALK, PI, 30, 9L).lengths();
    for (Prediction p : PREDICTORS) {
      assertArrayEquals(lengths, p.run(WALK, PI, 30, 9L).lengths(), p.label());
    }
  }

  @Test
  void controlRunsRepeatBitForBit() {
    RunOptions o = RunOptions.defaults().withMaxSteps(500).withSnapshotEvery(10);
    for (Control c : CONTROLLERS) {
      ControlRun<LearnModels.Cell, LearnModels.Move> a = c.run(CLIFF, 30, 5L, o);
      ControlRun<LearnModels.Cell, LearnModels.Move> b = c.run(CLIFF, 30, 5L, o);
      ControlRun<LearnModels.Cell, LearnModels.Move> d = c.run(CLIFF, 30, 6L, o);
      assertArrayEquals(a.q().toArray(), b.q().toArray(), c.label());
      assertArrayEquals(a.returns(), b.returns(), c.label());
      assertArrayEquals(a.visits(), b.visits(), c.label());
      assertEquals(4, a.snapshots().size());
      assertArrayEquals(a.snapshots().get(3).toArray(), a.q().toArray());
      assertFalse(Arrays.equals(a.returns(), d.returns()), c.label());
    }
  }

  // Trials in parallel give, in trial order, what a sequential loop over the same generators
  // gives.
  @Test
  void parallelTrialsEqualSequentialTrials() {
    List<double[]> parallel = Trials.run(77, 16,
        g -> Sarsa.of(0.5, 0.1).run(CLIFF, 20, g, RunOptions.defaults()).returns());
    List<double[]> sequential = new ArrayList<>();
    for (var g : Trials.generators(77, 16)) {
      sequential.add(Sarsa.of(0.5, 0.1).run(CLIFF, 20, g, RunOptions.defaults()).returns());
    }
    for (int i = 0; i < 16; i++) {
      assertArrayEquals(sequential.get(i), parallel.get(i), "trial " + i);
    }
  }

  // The episode function is pure: the state passed in is not changed, and the same generator
  // state gives the same episode.
  @Test
  void episodesDoNotTouchTheirInput() {
    ControlState s0 = ControlState.initial(CLIFF, 0);
    for (Control c : CONTROLLERS) {
      ControlEpisode e1 = c.episode(CLIFF, s0, new java.util.SplittableRandom(3), 1000);
      ControlEpisode e2 = c.episode(CLIFF, s0, new java.util.SplittableRandom(3), 1000);
      assertEquals(ControlState.initial(CLIFF, 0), s0);
      assertEquals(e1, e2, c.label());
    }
  }
}
