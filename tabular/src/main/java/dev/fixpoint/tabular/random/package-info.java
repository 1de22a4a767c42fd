/**
 * Random MDP generators for experiments and property tests: {@link
 * dev.fixpoint.tabular.random.Garnet} (double tier, built straight into CSR arrays, millions of
 * states) and {@link dev.fixpoint.tabular.random.ExactGarnet} (rational probabilities with a small
 * common denominator, for the exact solvers). Every generator takes an explicit {@link
 * java.util.random.RandomGenerator}: the same seed gives the same model, bit for bit.
 */
@NullMarked
package dev.fixpoint.tabular.random;

import org.jspecify.annotations.NullMarked;
