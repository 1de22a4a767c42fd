/**
 * Terms for linear function classes over state-action pairs and for data distributions (spec
 * mirror-descent-and-realizability.md, Part B0): {@link dev.fixpoint.dsl.features.Features} (the
 * feature map phi(s, a) in R^d, giving the class F = {Phi theta}) and {@link
 * dev.fixpoint.dsl.features.DataDistribution} (mu on S x A). They are descriptions; their meaning
 * (the matrix Phi, the vector mu, and everything computed from them) is given by {@code
 * dev.fixpoint.theory.realizability}.
 */
@NullMarked
package dev.fixpoint.dsl.features;

import org.jspecify.annotations.NullMarked;
