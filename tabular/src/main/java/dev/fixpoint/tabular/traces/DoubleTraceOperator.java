package dev.fixpoint.tabular.traces;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A trace operator in affine form in double arithmetic, M Q = b + Z Q; see {@link
 * ExactTraceOperator} for the mathematics.
 *
 * @param offset b = M 0
 * @param linear Z, rows x rows (never modify)
 * @param tail a bound tau &gt;= ||sum_{t &gt; H} gamma^t B_t||_inf on the occupancy left out by a
 *     horizon H (0 when nothing was truncated), so that ||M Q - apply(Q)||_inf &lt;= tau ||T_pi Q -
 *     Q||_inf
 * @param certificate what Z says about contraction
 */
@API(status = API.Status.EXPERIMENTAL)
public record DoubleTraceOperator(double[] offset, double[][] linear,
    double tail, ContractionCertificate certificate) {

  /** Checks the shapes. */
  public DoubleTraceOperator {
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
  public double[] apply(double[] q) {
    if (q.length != offset.length) {
      throw new IllegalArgumentException("Q has " + q.length + " values for " + offset.length
          + " rows");
    }
    double[] out = new double[q.length];
    for (int r = 0; r < q.length; r++) {
      double acc = offset[r];
      double[] row = linear[r];
      for (int c = 0; c < q.length; c++) {
        acc += row[c] * q[c];
      }
      out[r] = acc;
    }
    return out;
  }

  /** {@return ||Z||_inf} */
  public double norm() {
    return certificate.norm();
  }
}
