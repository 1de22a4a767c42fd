/**
 * Sample-based learners as folds over experience (DESIGN.md, core idea 6).
 *
 * <p>Experience is drawn from a {@link dev.fixpoint.dsl.TabularMdp} by {@link
 * dev.fixpoint.tabular.learn.Experience} with an explicit {@link java.util.random.RandomGenerator}:
 * a start state from the initial distribution, then steps (s, a) to (s', r) where r is {@link
 * dev.fixpoint.dsl.TabularMdp#entryReward(int)} of the transition taken. Learners are immutable
 * records; their state (value arrays, traces, visit counts) is a value passed in and returned, never
 * shared: each step or episode function copies what it changes, mutates only its local copy, and
 * returns it.
 *
 * <ul>
 *   <li>Prediction of v<sub>pi</sub> ({@link dev.fixpoint.tabular.learn.Prediction}): TD(0),
 *       n-step TD, TD(lambda) with accumulating or replacing traces (online or offline), true online
 *       TD(lambda), the offline lambda-return algorithm and constant-alpha Monte Carlo, each a fold
 *       {@code V -> episode -> V'} over trajectories.
 *   <li>Control ({@link dev.fixpoint.tabular.learn.Control}): Sarsa, Expected Sarsa, Q-learning and
 *       on-policy Monte Carlo control, whose behaviour is a {@link
 *       dev.fixpoint.tabular.learn.QPolicy}: a function of the live Q, re-read at every step.
 * </ul>
 *
 * <p>Reproducibility: {@code run(..., seed)} derives one generator per episode by splitting a
 * {@link java.util.SplittableRandom} seeded with {@code seed}, and {@link
 * dev.fixpoint.tabular.learn.Trials} derives one generator per trial the same way before any trial
 * starts, so results are bit-identical whatever the number of threads. Values are doubles; a
 * learner whose values overflow throws {@link ArithmeticException} instead of returning NaN.
 *
 * <p>A learning curve averaged over 50 runs (Sutton &amp; Barto 2018, Figure 6.4):
 *
 * <pre>{@code
 * List<double[]> returns = Trials.run(42, 50,
 *     g -> Sarsa.of(0.5, 0.1).run(cliff, 500, g, RunOptions.defaults()).returns());
 * double[] curve = Trials.mean(returns);
 * }</pre>
 */
@NullMarked
package dev.fixpoint.tabular.learn;

import org.jspecify.annotations.NullMarked;
