/**
 * The expected off-policy trace operator M of a {@link dev.fixpoint.dsl.TraceRule}, exactly
 * ({@code BigFraction}) and in double: its affine form M Q = b + Z Q, the linear part Z, its sup
 * norm and a {@link dev.fixpoint.tabular.traces.ContractionCertificate} (spec {@code traces.md}
 * sections 2.2 and 4; Daley, White, Amato and Machado, ICML 2023).
 */
@NullMarked
package dev.fixpoint.tabular.traces;

import org.jspecify.annotations.NullMarked;
