/**
 * Teaching examples for realizability versus Bellman completeness (spec Part B): the two-state
 * off-policy counterexample, a realizable but incomplete class, and a Bellman-complete linear MDP,
 * each with a table of every quantity {@code dev.fixpoint.theory.realizability} computes.
 */
@NullMarked
package dev.fixpoint.examples.realizability;

import org.jspecify.annotations.NullMarked;
