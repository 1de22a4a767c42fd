/**
 * Interpreters of the off-policy estimators of {@code dev.fixpoint.dsl.ope}: drawing logged data
 * ({@link dev.fixpoint.tabular.ope.Logging}), the fast double interpreter on a dataset
 * ({@link dev.fixpoint.tabular.ope.OpeDouble}), the exact distribution of an estimator with its
 * bias, variance and MSE as rationals ({@link dev.fixpoint.tabular.ope.OpeExact}), occupancy
 * ratios ({@link dev.fixpoint.tabular.ope.Occupancy}), confidence intervals and policy selection.
 * Maths and sources: docs/estimators.md and the spec estimators.md.
 */
@NullMarked
package dev.fixpoint.tabular.ope;

import org.jspecify.annotations.NullMarked;
