/**
 * Model files: the {@code fixpoint-mdp/1} JSON form (exact numbers) and the {@code
 * fixpoint-mdp-npz/1} NumPy form (large models, CSR arrays), both read and written without a
 * third-party library. The contract is {@code shared/spec/model-format.md}; {@link
 * dev.fixpoint.tabular.io.ModelFiles} is the entry point.
 */
@NullMarked
package dev.fixpoint.tabular.io;

import org.jspecify.annotations.NullMarked;
