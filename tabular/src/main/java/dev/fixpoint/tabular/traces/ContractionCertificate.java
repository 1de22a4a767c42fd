package dev.fixpoint.tabular.traces;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What can be said about the sup-norm contraction of a trace operator M Q = b + Z Q.
 *
 * <p>M is affine, so ||M Q - M Q'||_inf &lt;= ||Z||_inf ||Q - Q'||_inf with equality for some
 * pair: {@link #norm()} = ||Z||_inf = max_row sum_col |Z| is the exact sup-norm Lipschitz constant,
 * and M is a contraction (fixed point Q^pi, iterates converge geometrically) exactly when it is
 * below 1. The theorem of Daley et al. (2023; spec {@code traces.md} section 4.1) says that when
 * the matrix form of Condition 5.1 holds, B_t &lt;= B_{t-1} P_pi entrywise for every t &gt;= 1,
 * then Z &gt;= 0 and ||Z||_inf &lt;= gamma. {@link #conditionHolds()} reports that check and
 * {@link #conditionReport()} names the first violating layer and entry.
 *
 * @param operator a description of the operator (rule and policies)
 * @param norm ||Z||_inf (of the truncated Z when a horizon was used)
 * @param normError a bound on |norm - true ||Z||_inf| from truncation (0 when exact)
 * @param discount gamma
 * @param conditionHolds whether B_t &lt;= B_{t-1} P_pi held in every layer
 * @param conditionReport where it failed, or how it was checked
 */
@API(status = API.Status.EXPERIMENTAL)
public record ContractionCertificate(String operator, double norm, double normError,
    double discount,
    boolean conditionHolds, String conditionReport) {

  /** Checks the components. */
  public ContractionCertificate {
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(conditionReport, "conditionReport");
    if (!(norm >= 0) || Double.isInfinite(norm) || !(normError >= 0)) {
      throw new IllegalArgumentException("norm " + norm + " and its error " + normError
          + " must be finite and >= 0");
    }
  }

  /** {@return whether ||Z||_inf + normError &lt; 1, so that M is surely a sup-norm contraction} */
  public boolean isContraction() {
    return norm + normError < 1;
  }

  /**
   * {@return the contraction modulus, ||Z||_inf + normError}
   * @throws IllegalStateException when there is none (||Z||_inf &gt;= 1); the message explains why
   */
  public double modulus() {
    if (!isContraction()) {
      throw new IllegalStateException(explain());
    }
    return norm + normError;
  }

  /** {@return a sentence or two stating the certificate, or the reason there is none} */
  public String explain() {
    String cond = conditionHolds
        ? "Condition 5.1 holds in matrix form (B_t <= B_{t-1} P_pi; " + conditionReport
            + "), so Z >= 0 and ||Z||_inf <= gamma = " + discount
            + " (Daley et al. 2023; spec traces.md 4.1)"
        : "condition violated: " + conditionReport;
    String value = normError == 0 ? "||Z||_inf = " + norm
        : "||Z||_inf = " + norm + " +- " + normError + " (horizon truncation)";
    if (isContraction()) {
      return operator + ": " + cond + "; " + value + " < 1"
          + (conditionHolds ? "" : ", computed directly")
          + ": M is a " + (norm + normError) + "-contraction in sup norm with fixed point Q^pi.";
    }
    return operator + ": " + cond + "; " + value
        + ", not surely below 1: no contraction certificate (the iterates may still converge when the spectral "
        + "radius of Z is below 1, which is not checked here).";
  }
}
