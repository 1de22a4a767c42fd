package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator.SplittableGenerator;

/** The run loops behind {@link Prediction#run} and {@link Control#run}; package-private. */
final class Runs {
  private Runs() {}

  static <S, A> PredictionRun<S> predict(Prediction learner, TabularMdp<S, A> mdp,
      TabularPolicy<S, A> pi, int episodes, SplittableGenerator rng, RunOptions options) {
    checkEpisodes(episodes);
    double[] probs = pi.toArray();
    if (probs.length != mdp.numRows()) {
      throw new IllegalArgumentException("the policy has " + probs.length + " rows, "
          + mdp.name() + " has " + mdp.numRows());
    }
    int cap = options.maxSteps();
    Experience.requireEnd(mdp, cap);
    double[] truth = options.truth().getOrElse(new double[0]);
    boolean measured = options.truth().isDefined();
    if (measured && truth.length != mdp.numStates()) {
      throw new IllegalArgumentException("truth has " + truth.length + " values for "
          + mdp.numStates() + " states");
    }
    double[] v = new double[mdp.numStates()];
    for (int s = 0; s < v.length; s++) {
      v[s] = mdp.isTerminal(s) ? 0 : options.initialValue();
    }
    double gamma = mdp.discount();
    double[] returns = new double[episodes];
    int[] lengths = new int[episodes];
    double[] rms = new double[measured ? episodes + 1 : 0];
    int every = options.snapshotEvery();
    List<ValueFunction<S>> snaps = new ArrayList<>();
    if (measured) {
      rms[0] = Kernels.rmsOverStates(mdp, v, truth);
    }
    if (every > 0) {
      snaps.add(ValueFunction.of(mdp.states(), v));
    }
    for (int e = 0; e < episodes; e++) {
      Trajectory tr = Experience.episode(mdp, probs, rng.split(), cap);
      v = learner.episode(mdp, v, tr);
      returns[e] = tr.discountedReturn(gamma);
      lengths[e] = tr.length();
      if (measured) {
        rms[e + 1] = Kernels.rmsOverStates(mdp, v, truth);
      }
      if (every > 0 && (e + 1) % every == 0) {
        snaps.add(ValueFunction.of(mdp.states(), v));
      }
    }
    return new PredictionRun<>(learner.label(), ValueFunction.of(mdp.states(), v), returns,
        lengths, rms, every, snaps);
  }

  static <S, A> ControlRun<S, A> control(Control learner, TabularMdp<S, A> mdp, int episodes,
      SplittableGenerator rng, RunOptions options) {
    checkEpisodes(episodes);
    int cap = options.maxSteps();
    Experience.requireEnd(mdp, cap);
    double[] truth = options.truth().getOrElse(new double[0]);
    boolean measured = options.truth().isDefined();
    if (measured && truth.length != mdp.numRows()) {
      throw new IllegalArgumentException("truth has " + truth.length + " values for "
          + mdp.numRows() + " rows");
    }
    ControlState state = ControlState.initial(mdp, options.initialValue());
    double gamma = mdp.discount();
    double[] returns = new double[episodes];
    int[] lengths = new int[episodes];
    double[] rms = new double[measured ? episodes + 1 : 0];
    int every = options.snapshotEvery();
    List<QFunction<S, A>> snaps = new ArrayList<>();
    if (measured) {
      rms[0] = Kernels.rms(state.q(), truth);
    }
    if (every > 0) {
      snaps.add(state.toQFunction(mdp));
    }
    for (int e = 0; e < episodes; e++) {
      ControlEpisode ep = learner.episode(mdp, state, rng.split(), cap);
      state = ep.state();
      returns[e] = ep.trajectory().discountedReturn(gamma);
      lengths[e] = ep.trajectory().length();
      if (measured) {
        rms[e + 1] = Kernels.rms(state.q(), truth);
      }
      if (every > 0 && (e + 1) % every == 0) {
        snaps.add(state.toQFunction(mdp));
      }
    }
    return new ControlRun<>(learner.label(), state.toQFunction(mdp), state.visits(), returns,
        lengths, rms, every, snaps);
  }

  private static void checkEpisodes(int episodes) {
    if (episodes < 0) {
      throw new IllegalArgumentException("episodes must be >= 0, got " + episodes);
    }
  }
}
