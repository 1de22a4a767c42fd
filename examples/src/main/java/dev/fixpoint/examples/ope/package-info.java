/**
 * Off-policy evaluation examples: {@link dev.fixpoint.examples.ope.OpeBenchmark}, a benchmark in
 * the spirit of Kiyohara et al. (ICLR 2024) on FrozenLake with exact bias, variance and MSE.
 */
@NullMarked
package dev.fixpoint.examples.ope;

import org.jspecify.annotations.NullMarked;
