/**
 * GFlowNet examples: tabular training on torchgfn's HyperGrid with exact evaluation, the pictures
 * of the issue (exact TV per trajectory count per loss, learned and true terminal distributions as
 * heat maps) and a scale benchmark of the exact flows.
 */
@NullMarked
package dev.fixpoint.examples.gflownet;

import org.jspecify.annotations.NullMarked;
