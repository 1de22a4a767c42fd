package dev.fixpoint.dsl.gflownet;

import dev.fixpoint.dsl.ModelException;
import org.apiguardian.api.API;

/**
 * The regression function g applied to a balance residual r (torchgfn {@code losses.py}). Every
 * variant has g(0) = 0, g &gt;= 0 and g'(0) = 0, so a loss vanishes and is stationary where its
 * balance condition holds.
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface Regression {

  /** g(t) = t^2, the default of every loss. */
  record Squared() implements Regression {}

  /**
   * g(t) = e^t + e^-t - 2 = 2(cosh t - 1) (Hu, Jain, Elmoznino, Kaddar, Lajoie, Bengio and Malkin,
   * "Beyond squared error: exploring loss design for enhanced training of generative flow
   * networks", ICLR 2025).
   */
  record ShiftedCosh() implements Regression {}

  /**
   * g(t) = (e^{alpha t} - alpha t - 1)/alpha^2, alpha != 0 (Hu et al., ICLR 2025); tends to t^2/2
   * as alpha -&gt; 0.
   *
   * @param alpha the asymmetry, finite and not 0
   */
  record Linex(double alpha) implements Regression {
    /** Checks alpha. */
    public Linex {
      if (alpha == 0 || !Double.isFinite(alpha)) {
        throw new ModelException("linex regression: alpha = " + alpha
            + " must be finite and not 0");
      }
    }
  }

  /** {@return g(t) = t^2} */
  static Regression squared() {
    return new Squared();
  }

  /** {@return g(t) = e^t + e^-t - 2} */
  static Regression shiftedCosh() {
    return new ShiftedCosh();
  }

  /**
   * {@return g(t) = (e^{alpha t} - alpha t - 1)/alpha^2}
   * @param alpha not 0
   */
  static Regression linex(double alpha) {
    return new Linex(alpha);
  }

  /**
   * {@return g(t)}
   * @param t the residual
   */
  default double value(double t) {
    return switch (this) {
      case Squared s -> t * t;
      case ShiftedCosh c -> 2 * (Math.cosh(t) - 1);
      case Linex(double a) -> (Math.expm1(a * t) - a * t) / (a * a);
    };
  }

  /**
   * {@return g'(t)}
   * @param t the residual
   */
  default double derivative(double t) {
    return switch (this) {
      case Squared s -> 2 * t;
      case ShiftedCosh c -> 2 * Math.sinh(t);
      case Linex(double a) -> Math.expm1(a * t) / a;
    };
  }
}
