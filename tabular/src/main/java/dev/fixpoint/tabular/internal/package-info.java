/**
 * Kernels shared by the solvers and by sibling modules (theory, gpu, property tests, examples,
 * cli): dense linear systems in double and exact arithmetic, and exact Bellman backups. Not part
 * of the public API: exported only to the fixpoint modules.
 */
@NullMarked
package dev.fixpoint.tabular.internal;

import org.jspecify.annotations.NullMarked;
