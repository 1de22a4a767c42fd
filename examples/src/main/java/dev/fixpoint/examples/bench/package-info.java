/**
 * JMH benchmarks of the hot loops, each reported as a ratio to a plain reference loop measured in
 * the same run (DESIGN.md, Tests).
 */
@NullMarked
package dev.fixpoint.examples.bench;

import org.jspecify.annotations.NullMarked;
