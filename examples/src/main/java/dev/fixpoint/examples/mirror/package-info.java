/**
 * Policy mirror descent examples: measured gaps against the convergence bounds of {@code
 * dev.fixpoint.theory.mirror}, with plots.
 */
@NullMarked
package dev.fixpoint.examples.mirror;

import org.jspecify.annotations.NullMarked;
