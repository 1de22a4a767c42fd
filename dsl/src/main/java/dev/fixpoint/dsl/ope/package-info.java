/**
 * Off-policy evaluation as values: logged {@link dev.fixpoint.dsl.ope.Dataset}s of trajectories
 * with their behaviour probabilities, the {@link dev.fixpoint.dsl.ope.Estimator} family (IS, PDIS,
 * WIS, WPDIS, DM, DR, WDR, MIS, clipped IS/PDIS, on-policy Monte Carlo), built through the
 * {@link dev.fixpoint.dsl.ope.Estimators} facade, and the time-indexed models they take
 * ({@link dev.fixpoint.dsl.ope.TimeIndexedQ}, {@link dev.fixpoint.dsl.ope.StepRatios}). The
 * interpreters (a fast double one on a dataset, an exact one giving the estimator's distribution)
 * live in {@code dev.fixpoint.tabular.ope}.
 */
@NullMarked
package dev.fixpoint.dsl.ope;

import org.jspecify.annotations.NullMarked;
