/**
 * Realizability versus Bellman completeness for linear function classes (spec
 * mirror-descent-and-realizability.md, Part B): realizability error and exact rank tests, the
 * TD/LSTD fixed point with its error identity and amplification, population FQE and expected
 * TD(0), Bellman completeness and the inherent Bellman error, concentrability coefficients, the
 * Bellman-error-to-value-error identities, and sample-based LSTD/FQE/TD(0) over seeded datasets.
 * Every bound is a {@link dev.fixpoint.dsl.Bound}; every rational quantity is computed exactly when
 * the model, features, mu and policy are exact.
 */
@NullMarked
package dev.fixpoint.theory.realizability;

import org.jspecify.annotations.NullMarked;
