package dev.fixpoint.examples.plot;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.CliffWalking;
import dev.fixpoint.tabular.learn.Control;
import dev.fixpoint.tabular.learn.QLearning;
import dev.fixpoint.tabular.learn.RunOptions;
import dev.fixpoint.tabular.learn.Sarsa;
import dev.fixpoint.tabular.learn.Trials;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Learning curves of the control learners of {@code dev.fixpoint.tabular.learn}: the return of
 * each episode as lived (the online performance of Sutton &amp; Barto 2018, Figure 6.4), averaged
 * over independent runs. Run i uses the generator {@code Trials.generators(seed, runs)[i]}, so the
 * curves are the same bit for bit whatever the number of threads.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class LearningCurves {
  private LearningCurves() {}

  /**
   * {@return the mean over runs of the return of episode 1, 2, ..., as a series named by the
   * learner's label}
   *
   * @param m the model
   * @param learner the learner
   * @param seed the experiment's seed
   * @param runs the number of independent runs, at least 1
   * @param episodes the episodes per run, at least 1
   * @param options the run options (initial value, step cap)
   * @param <S> state type
   * @param <A> action type
   */
  public static <S, A> Series meanReturns(TabularMdp<S, A> m, Control learner, long seed,
      int runs, int episodes, RunOptions options) {
    if (runs < 1 || episodes < 1) {
      throw new IllegalArgumentException("runs and episodes must be >= 1, got " + runs + " and "
          + episodes);
    }
    List<double[]> returns = Trials.run(seed, runs,
        g -> learner.run(m, episodes, g, options).returns());
    return Series.indexed(learner.label(), Trials.mean(returns));
  }

  /**
   * Sutton &amp; Barto (2018), Figure 6.4: Sarsa and Q-learning on cliff walking with alpha = 0.5
   * and epsilon-greedy behaviour, epsilon = 0.1, returns averaged over runs. Sarsa learns the
   * safer path and earns more online; Q-learning learns the optimal path along the cliff and falls
   * off more often while exploring.
   *
   * @param seed the experiment's seed
   * @param runs runs to average over
   * @param episodes episodes per run (the book shows 500)
   * @param window the trailing moving-average window applied to the mean curves (1: none)
   * @return the figure: one series per learner, Sarsa first; the y axis shows [-100, 0] as in
   *     the book (the first episodes, far lower, are clipped in the drawing)
   */
  public static LineFigure cliffWalking(long seed, int runs, int episodes, int window) {
    TabularMdp<?, ?> m = CliffWalking.suttonBarto().tabulate();
    List<Series> curves = new ArrayList<>();
    for (Control c : List.<Control>of(Sarsa.of(0.5, 0.1), QLearning.of(0.5, 0.1))) {
      curves.add(meanReturns(m, c, seed, runs, episodes, RunOptions.defaults())
          .movingAverage(window));
    }
    return Plots.learningCurves("Cliff walking: return per episode (mean of " + runs + " runs"
        + (window > 1 ? ", moving average of " + window : "") + ")", curves)
        .withYRange(-100, 0);
  }
}
