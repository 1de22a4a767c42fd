/**
 * The fixpoint DSL: descriptions as values.
 *
 * <p>{@link dev.fixpoint.dsl.Dist} is a finite distribution and monad; {@link dev.fixpoint.dsl.Mdp}
 * describes a Markov decision process over user types; {@link dev.fixpoint.dsl.Mdp#tabulate()}
 * turns it into the dense {@link dev.fixpoint.dsl.TabularMdp} every algorithm runs on;
 * {@link dev.fixpoint.dsl.Operator} is the algebra of Bellman operators on Q-functions. Numbers
 * given as integers, decimals or fractions stay exact ({@code BigFraction}); a double model is
 * marked inexact and exact interpreters refuse it.
 */
@NullMarked
package dev.fixpoint.dsl;

import org.jspecify.annotations.NullMarked;
