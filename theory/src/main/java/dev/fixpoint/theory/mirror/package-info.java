/**
 * Convergence rates of policy mirror descent as {@link dev.fixpoint.dsl.Bound} values (spec
 * mirror-descent-and-realizability.md, A2 and A3): NPG's sublinear rate (Agarwal et al. 2021),
 * constant-step PMD, the geometric-step linear rate, Johnson et al.'s adaptive gamma-rate, policy
 * iteration, the entropy bias, and Cen et al.'s and Lan's regularised rates. Each bound is
 * computed from an {@link dev.fixpoint.theory.mirror.Optimum} (V*, a deterministic pi*, the
 * occupancy d*) and explains its terms.
 */
@NullMarked
package dev.fixpoint.theory.mirror;

import org.jspecify.annotations.NullMarked;
