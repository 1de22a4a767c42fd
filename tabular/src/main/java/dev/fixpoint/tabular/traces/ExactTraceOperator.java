package dev.fixpoint.tabular.traces;

import dev.fixpoint.dsl.Rationals;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * A trace operator in exact affine form, M Q = b + Z Q over the rows of a model, with b = S r and
 * Z = I - S (I - gamma P_pi), where S = sum_t gamma^t B_t is the discounted expected-trace
 * occupancy (spec {@code traces.md} section 2.2, equations (1) and (2): M Q = Q + S (T_pi Q - Q)).
 *
 * @param offset b = M 0
 * @param linear Z, rows x rows (never modify)
 * @param tail a bound tau &gt;= ||sum_{t &gt; H} gamma^t B_t||_inf on the occupancy left out by a
 *     horizon H (0 when nothing was truncated), so that ||M Q - apply(Q)||_inf &lt;= tau ||T_pi Q -
 *     Q||_inf
 * @param certificate what Z says about contraction
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExactTraceOperator(BigFraction[] offset, BigFraction[][] linear,
    double tail, ContractionCertificate certificate) {

  /** Checks the shapes. */
  public ExactTraceOperator {
    Objects.requireNonNull(certificate, "certificate");
    if (!(tail >= 0)) {
      throw new IllegalArgumentException("tail bound " + tail + " must be >= 0");
    }
    if (linear.length != offset.length) {
      throw new IllegalArgumentException("Z has " + linear.length + " rows for " + offset.length
          + " offsets");
    }
  }

  /**
   * {@return M Q = b + Z Q}
   * @param q Q over rows
   */
  public BigFraction[] apply(BigFraction[] q) {
    if (q.length != offset.length) {
      throw new IllegalArgumentException("Q has " + q.length + " values for " + offset.length
          + " rows");
    }
    BigFraction[] out = new BigFraction[q.length];
    for (int r = 0; r < q.length; r++) {
      BigFraction acc = offset[r];
      for (int c = 0; c < q.length; c++) {
        if (Rationals.signum(linear[r][c]) != 0) {
          acc = acc.add(linear[r][c].multiply(q[c]));
        }
      }
      out[r] = acc;
    }
    return out;
  }

  /** {@return ||Z||_inf = max over rows of sum |Z|, exactly}. */
  public BigFraction norm() {
    return ExactTraces.norm(linear);
  }
}
