package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Bound.Source;
import dev.fixpoint.dsl.Bound.Term;
import dev.fixpoint.dsl.Rationals;
import io.vavr.collection.List;
import io.vavr.control.Option;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Everything spec Part B1-B3 computes for one model, feature matrix Phi, data distribution mu and
 * target policy pi (population level, no sampling). Rational quantities are {@link Term}s whose
 * exact value is present when the inputs were exact; quantities that need square roots or
 * eigenvalues are doubles.
 *
 * <ul>
 *   <li>eps_real^2 = ||(I - Pi_mu) Q^pi||_mu^2 (B1) and the mu-free rank test
 *       rank[Phi | Q^pi] = rank Phi;
 *   <li>Bellman completeness for T^pi: rank[Phi | r | P^pi Phi] = rank Phi (B2);
 *   <li>the TD/LSTD fixed point theta_TD = A^{-1} b, A = Phi^T D (Phi - gamma P^pi Phi),
 *       b = Phi^T D r, which exists iff A is invertible (B3.1), its error
 *       ||Phi theta_TD - Q^pi||_mu^2 and the gap of the error identity (B3.3)
 *       Phi theta_TD - Q^pi = -(I - gamma Pi_mu P^pi)^{-1} (I - Pi_mu) Q^pi, which is exactly 0 in
 *       the exact tier;
 *   <li>kappa_TD = ||(I - gamma Pi_mu P^pi)^{-1} (I - Pi_mu)||_mu (B3.3; +infinity when A is
 *       singular or mu lacks full support);
 *   <li>the distribution-shift factor c = max_r (mu^T P^pi)_r / mu_r: c = 1 when mu is stationary
 *       for P^pi (on-policy, B3.4), c &lt;= 1/gamma when mu is the discounted occupancy of pi (B3.5);
 *   <li>the spectral radius of the population FQE map gamma Sigma^{-1} Phi^T D P^pi Phi (B3.7)
 *       and the conditioning zeta = sigma_min(Sigma^{-1/2} A Sigma^{-1/2}) (B6, a teaching proxy).
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class LinearEvaluation {
  private final String description;
  private final boolean exact;
  private final Term gamma;
  private final Term epsReal2;
  private final int rankPhi;
  private final boolean realizable;
  private final boolean complete;
  private final double @Nullable [] theta;
  private final BigFraction @Nullable [] thetaExact;
  private final Term tdError2;
  private final Term identityGap2;
  private final Term shift;
  private final double kappa;
  private final double fqeRadius;
  private final double zeta;
  private final double[] q;
  private final BigFraction @Nullable [] qExact;
  private final double[][] a;
  private final double[] b;
  private final double[][] fqeMatrix;
  private final double[] fqeOffset;
  private final double[][] phi;
  private final double[] mu;
  private final LinearFeatures features;

  <T> LinearEvaluation(Analysis<T> an, String description) {
    Field<T> f = an.f;
    this.description = description;
    this.exact = f.isExact();
    this.gamma = term(f, "gamma", "discount", an.rm.gamma);
    T[] res = an.residual(an.q);
    this.epsReal2 = term(f, "eps_real^2", "||(I - Pi_mu) Q^pi||_mu^2, squared realizability error",
        Dense.weightedSquare(f, an.mu, res));
    this.rankPhi = Dense.rank(f, an.phi);
    this.realizable = Dense.rank(f, Dense.hstack(f, an.phi, Dense.column(f, an.q))) == rankPhi;
    this.complete = Dense.rank(f, Dense.hstack(f, an.phi, Dense.column(f, an.rm.r), an.pphi))
        == rankPhi;
    if (an.theta != null) {
      this.theta = Dense.toDoubles(f, an.theta);
      this.thetaExact = f.isExact() ? (BigFraction[]) an.theta : null;
      T[] err = Dense.sub(f, Dense.mul(f, an.phi, an.theta), an.q);
      this.tdError2 = term(f, "||Phi theta_TD - Q^pi||_mu^2", "squared error of the TD fixed point",
          Dense.weightedSquare(f, an.mu, err));
      T[] rhs = Dense.solve(f, an.projectedResolvent(), res);
      T gap;
      if (rhs == null) {
        gap = f.zero();
      } else {
        T[] diff = f.vector(an.n);
        for (int i = 0; i < an.n; i++) {
          diff[i] = f.add(err[i], rhs[i]);
        }
        gap = Dense.weightedSquare(f, an.mu, diff);
      }
      this.identityGap2 = term(f, "identity gap^2", "||(Phi theta_TD - Q^pi) + (I - gamma Pi P)^-1"
          + " (I - Pi) Q^pi||_mu^2 (0 when spec B3.3 holds)", gap);
    } else {
      this.theta = null;
      this.thetaExact = null;
      this.tdError2 = Term.of("||Phi theta_TD - Q^pi||_mu^2", "no TD fixed point: A is singular",
          Double.POSITIVE_INFINITY);
      this.identityGap2 = Term.of("identity gap^2", "undefined: A is singular", 0.0);
    }
    T c = an.shift();
    this.shift = c == null
        ? Term.of("c", "max_r (mu^T P^pi)_r / mu_r: infinite, P^pi moves mass to a row with mu = 0",
            Double.POSITIVE_INFINITY)
        : term(f, "c", "max_r (mu^T P^pi)_r / mu_r, distribution shift of one step", c);
    this.kappa = an.kappa();
    this.fqeMatrix = an.fqeMatrix();
    this.fqeRadius = Spectra.spectralRadius(fqeMatrix);
    this.fqeOffset = Dense.toDoubles(f, Dense.mul(f, an.coef, an.rm.r));
    this.zeta = an.zeta();
    this.q = Dense.toDoubles(f, an.q);
    this.qExact = f.isExact() ? (BigFraction[]) an.q : null;
    this.a = Dense.toDoubles(f, an.a);
    this.b = Dense.toDoubles(f, an.b);
    this.phi = Dense.toDoubles(f, an.phi);
    this.mu = Dense.toDoubles(f, an.mu);
    this.features = an.features;
  }

  /** {@return the feature matrix analysed} */
  public LinearFeatures features() {
    return features;
  }

  static <T> Term term(Field<T> f, String symbol, String meaning, T value) {
    return f.isExact() ? Term.of(symbol, meaning, (BigFraction) value)
        : Term.of(symbol, meaning, f.toDouble(value));
  }

  /** {@return what was analysed} */
  public String description() {
    return description;
  }

  /** {@return whether every rational quantity was computed exactly} */
  public boolean isExact() {
    return exact;
  }

  /** {@return gamma} */
  public Term gamma() {
    return gamma;
  }

  /** {@return eps_real^2 = ||(I - Pi_mu) Q^pi||_mu^2 (exact when the inputs are)} */
  public Term realizabilityError2() {
    return epsReal2;
  }

  /** {@return eps_real = sqrt(eps_real^2)} */
  public double realizabilityError() {
    return Math.sqrt(Math.max(0, epsReal2.value()));
  }

  /** {@return rank Phi (exact, or with a relative threshold 1e-10 in doubles)} */
  public int rank() {
    return rankPhi;
  }

  /** {@return whether rank[Phi | Q^pi] = rank Phi: Q^pi is in span Phi, whatever mu} */
  public boolean isRealizable() {
    return realizable;
  }

  /**
   * {@return whether rank[Phi | r | P^pi Phi] = rank Phi: T^pi maps span Phi into itself (Bellman
   * complete for T^pi, for every mu)}
   */
  public boolean isComplete() {
    return complete;
  }

  /** {@return whether A is invertible, i.e. the TD fixed point exists and is unique (B3.1)} */
  public boolean hasFixedPoint() {
    return theta != null;
  }

  /** {@return theta_TD = A^{-1} b, when A is invertible} */
  public Option<double[]> tdFixedPoint() {
    return theta == null ? Option.none() : Option.some(theta.clone());
  }

  /** {@return theta_TD as rationals, when exact and A is invertible} */
  public Option<BigFraction[]> tdFixedPointExact() {
    return thetaExact == null ? Option.none() : Option.some(thetaExact.clone());
  }

  /** {@return ||Phi theta_TD - Q^pi||_mu^2 (+infinity when A is singular)} */
  public Term tdError2() {
    return tdError2;
  }

  /** {@return ||Phi theta_TD - Q^pi||_mu} */
  public double tdError() {
    return Math.sqrt(Math.max(0, tdError2.value()));
  }

  /** {@return the squared mu-norm gap of the error identity B3.3 (exactly 0 in the exact tier)} */
  public Term identityGap2() {
    return identityGap2;
  }

  /** {@return c = max_r (mu^T P^pi)_r / mu_r} */
  public Term shift() {
    return shift;
  }

  /** {@return kappa_TD = ||(I - gamma Pi_mu P^pi)^{-1} (I - Pi_mu)||_mu} */
  public double kappa() {
    return kappa;
  }

  /**
   * {@return the spectral radius of gamma Sigma^{-1} Phi^T D P^pi Phi; population FQE converges
   * from every start iff it is &lt; 1 (B3.7)}
   */
  public double fqeSpectralRadius() {
    return fqeRadius;
  }

  /**
   * {@return zeta = sigma_min(Sigma^{-1/2} A Sigma^{-1/2}) (B6 teaching proxy); bounded below by
   * {@link #conditioningBound()} and used as a coefficient by {@link #fixedPointDistanceBound}}
   */
  public double conditioning() {
    return zeta;
  }

  /** {@return Q^pi over rows} */
  public double[] q() {
    return q.clone();
  }

  /** {@return Q^pi as rationals, when exact} */
  public Option<BigFraction[]> qExact() {
    return qExact == null ? Option.none() : Option.some(qExact.clone());
  }

  /** {@return A = Phi^T D (Phi - gamma P^pi Phi)} */
  public double[][] matrixA() {
    return copy(a);
  }

  /** {@return b = Phi^T D r} */
  public double[] vectorB() {
    return b.clone();
  }

  /** {@return Phi} */
  public double[][] phi() {
    return copy(phi);
  }

  /** {@return mu} */
  public double[] mu() {
    return mu.clone();
  }

  /** {@return M = gamma Sigma^{-1} Phi^T D P^pi Phi, population FQE is theta' = h + M theta} */
  public double[][] fqeMatrix() {
    return copy(fqeMatrix);
  }

  /** {@return h = Sigma^{-1} Phi^T D r} */
  public double[] fqeOffset() {
    return fqeOffset.clone();
  }

  /**
   * {@return ||Phi theta - Q^pi||_mu for any parameter, e.g. a sample-based estimate}
   * @param parameter theta (length d)
   */
  public double errorOf(double[] parameter) {
    if (parameter.length != phi[0].length) {
      throw new IllegalArgumentException("theta has " + parameter.length + " entries, d = "
          + phi[0].length);
    }
    double s = 0;
    for (int i = 0; i < q.length; i++) {
      double v = -q[i];
      for (int j = 0; j < parameter.length; j++) {
        v += phi[i][j] * parameter[j];
      }
      s += mu[i] * v * v;
    }
    return Math.sqrt(s);
  }

  private List<Term> baseTerms() {
    return List.of(gamma, epsReal2);
  }

  /**
   * {@return ||Phi theta_TD - Q^pi||_mu &lt;= kappa_TD eps_real} (spec B3.3, derived; vacuous when
   * A is singular or mu lacks full support)
   */
  public Bound tdErrorBound() {
    String what = "||Phi theta_TD - Q^pi||_mu";
    Source src = Source.derived("spec B3.3: error identity, "
        + "docs/realizability.md");
    if (!Double.isFinite(kappa)) {
      return Bound.vacuous(what, hasFixedPoint() ? "mu lacks full support: ||.||_mu is a "
          + "seminorm and kappa_TD is infinite" : "A is singular: no TD fixed point", src);
    }
    return Bound.upper(what, "kappa_TD * eps_real", kappa * realizabilityError(),
        baseTerms().append(Term.of("kappa_TD", "||(I - gamma Pi P)^-1 (I - Pi)||_mu", kappa))
            .append(Term.of("eps_real", "realizability error", realizabilityError())), src);
  }

  /**
   * {@return kappa_TD &lt;= 1/sqrt(1 - gamma^2 c)}, derived from ||P^pi x||_mu^2 &lt;= c ||x||_mu^2
   * (Jensen) and Pythagoras for the mu-orthogonal projection; c = 1 on-policy gives
   * 1/sqrt(1 - gamma^2) (B3.4), c &lt;= 1/gamma for the discounted occupancy gives 1/sqrt(1 - gamma)
   * (B3.5). Vacuous when gamma^2 c &gt;= 1.
   */
  public Bound kappaBound() {
    Source src = Source.derived("spec B3.4-B3.5, generalised to the shift factor c in "
        + "docs/realizability.md");
    double g = gamma.value();
    double c = shift.value();
    if (!(g * g * c < 1)) {
      return Bound.vacuous("kappa_TD", "gamma^2 c = " + (g * g * c) + " >= 1: Pi_mu T^pi need "
          + "not be a contraction in ||.||_mu", src);
    }
    List<Term> t = List.of(gamma, shift);
    String formula = "1/sqrt(1 - gamma^2 c)";
    return Bound.upper("kappa_TD", formula, 1 / Math.sqrt(1 - g * g * c), t, src);
  }

  /**
   * {@return ||Phi theta_TD - Q^pi||_mu &lt;= eps_real / sqrt(1 - gamma^2 c)} (same derivation as
   * {@link #kappaBound()}; the on-policy form eps_real/sqrt(1 - gamma^2) refines Tsitsiklis and
   * Van Roy 1997, Theorem 1)
   */
  public Bound shiftBound() {
    Bound k = kappaBound();
    String what = "||Phi theta_TD - Q^pi||_mu";
    if (k instanceof Bound.Vacuous v) {
      return Bound.vacuous(what, v.reason(), v.source());
    }
    return Bound.upper(what, "eps_real / sqrt(1 - gamma^2 c)", realizabilityError() * k.value(),
        k.terms().append(Term.of("eps_real", "realizability error", realizabilityError())),
        k.source());
  }

  /**
   * {@return zeta &gt;= 1 - gamma sqrt(c)}, a lower bound on the conditioning zeta =
   * sigma_min(Sigma^{-1/2} A Sigma^{-1/2}) of the projected Bellman equation (spec B6, derived).
   *
   * <p>Derivation: for x in R^d put z = Sigma^{-1/2} x and y = Phi z, so ||y||_mu = ||x||_2 and
   * x^T Sigma^{-1/2} A Sigma^{-1/2} x = ||y||_mu^2 - gamma &lt;y, P^pi y&gt;_mu &gt;= (1 - gamma
   * sqrt(c)) ||x||^2, because &lt;y, P^pi y&gt;_mu &lt;= ||y||_mu ||P^pi y||_mu (Cauchy-Schwarz) and
   * ||P^pi y||_mu^2 &lt;= c ||y||_mu^2 (Jensen); with ||M x|| ||x|| &gt;= x^T M x this gives
   * sigma_min(M) &gt;= 1 - gamma sqrt(c). On-policy (c = 1) this is the spec's zeta &gt;= 1 -
   * gamma. Vacuous when gamma sqrt(c) &gt;= 1.
   */
  public Bound conditioningBound() {
    Source src = Source.derived("spec B6 (on-policy zeta >= 1 - gamma), generalised to the shift "
        + "factor c in docs/realizability.md");
    double g = gamma.value();
    double c = shift.value();
    if (!(g * Math.sqrt(c) < 1)) {
      return Bound.vacuous("zeta", "gamma sqrt(c) = " + (g * Math.sqrt(c)) + " >= 1: A need not "
          + "be positive definite in the Sigma geometry", src);
    }
    return Bound.lower("zeta", "1 - gamma sqrt(c)", 1 - g * Math.sqrt(c), List.of(gamma, shift,
        Term.of("zeta", "sigma_min(Sigma^{-1/2} A Sigma^{-1/2}), the value bounded", zeta)), src);
  }

  /**
   * {@return ||Phi theta - Phi theta_TD||_mu &lt;= ||Sigma^{-1/2} (A theta - b)||_2 / zeta}, for any
   * parameter theta, e.g. a sample-based LSTD estimate (spec B6: "finite-sample LSTD error is
   * amplified by 1/zeta", derived).
   *
   * <p>Derivation: A (theta - theta_TD) = A theta - b; with M = Sigma^{-1/2} A Sigma^{-1/2} and x =
   * Sigma^{1/2}(theta - theta_TD), M x = Sigma^{-1/2}(A theta - b), so ||x||_2 &lt;= ||M x||_2 /
   * sigma_min(M), and ||x||_2 = ||Phi (theta - theta_TD)||_mu. For the LSTD solution of (Ahat,
   * bhat), A theta - b = (A - Ahat) theta - (b - bhat): the sampling error of the linear system,
   * amplified by 1/zeta. Vacuous when A is singular (zeta = 0).
   *
   * @param parameter theta (length d)
   * @throws IllegalArgumentException when theta has the wrong length
   */
  public Bound fixedPointDistanceBound(double[] parameter) {
    int d = phi[0].length;
    if (parameter.length != d) {
      throw new IllegalArgumentException("theta has " + parameter.length + " entries, d = " + d);
    }
    String what = "||Phi theta - Phi theta_TD||_mu";
    Source src = Source.derived("spec B6 (1/zeta amplification), docs/realizability.md");
    if (!hasFixedPoint() || !(zeta > 0)) {
      return Bound.vacuous(what, "zeta = " + zeta + ": A is singular, no TD fixed point", src);
    }
    double[][] sigma = new double[d][d];
    for (int i = 0; i < q.length; i++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          sigma[j][k] += mu[i] * phi[i][j] * phi[i][k];
        }
      }
    }
    double[][] res = new double[d][1];
    for (int j = 0; j < d; j++) {
      double v = -b[j];
      for (int k = 0; k < d; k++) {
        v += a[j][k] * parameter[k];
      }
      res[j][0] = v;
    }
    double[][] x = Spectra.solve(sigma, res);
    double r2 = 0;
    if (x != null) {
      for (int j = 0; j < d; j++) {
        r2 += res[j][0] * x[j][0];
      }
    }
    double r = Math.sqrt(Math.max(0, r2));
    return Bound.upper(what, "||Sigma^{-1/2} (A theta - b)||_2 / zeta", r / zeta,
        List.of(Term.of("||Sigma^{-1/2} (A theta - b)||_2",
            "projected Bellman residual of theta in the Sigma geometry", r),
            Term.of("zeta", "sigma_min(Sigma^{-1/2} A Sigma^{-1/2})", zeta)), src);
  }

  /** {@return the bounds on the TD error, on kappa_TD and on zeta} */
  public List<Bound> bounds() {
    return List.of(tdErrorBound(), shiftBound(), kappaBound(), conditioningBound());
  }

  /** {@return a table of every quantity, one per line, exact values in parentheses} */
  public String table() {
    StringBuilder sb = new StringBuilder(description).append('\n');
    row(sb, "exact tier", Boolean.toString(exact));
    row(sb, gamma);
    row(sb, "rank Phi", Integer.toString(rankPhi));
    row(sb, "Q^pi realizable (rank test)", Boolean.toString(realizable));
    row(sb, "complete for T^pi (rank test)", Boolean.toString(complete));
    row(sb, epsReal2);
    row(sb, "eps_real", Double.toString(realizabilityError()));
    row(sb, Realizability.supNormError(this));
    row(sb, "TD fixed point exists", Boolean.toString(hasFixedPoint()));
    if (theta != null) {
      row(sb, "theta_TD", thetaExact != null ? format(thetaExact) : java.util.Arrays.toString(theta));
    }
    row(sb, tdError2);
    row(sb, "||Phi theta_TD - Q^pi||_mu", Double.toString(tdError()));
    row(sb, identityGap2);
    row(sb, "kappa_TD", Double.toString(kappa));
    row(sb, shift);
    row(sb, "FQE spectral radius", Double.toString(fqeRadius));
    row(sb, "zeta (conditioning)", Double.toString(zeta));
    for (Bound bd : bounds()) {
      row(sb, "bound", bd.explain().lines().findFirst().orElse(""));
    }
    return sb.toString();
  }

  private static String format(BigFraction[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(Rationals.format(v[i]));
    }
    return sb.append(']').toString();
  }

  private static void row(StringBuilder sb, Term t) {
    String v = Double.toString(t.value());
    if (t.exact().isDefined()) {
      v += " (" + Rationals.format(t.exact().get()) + ")";
    }
    row(sb, t.symbol(), v);
  }

  private static void row(StringBuilder sb, String k, String v) {
    sb.append(String.format("  %-32s %s%n", k, v));
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  @Override
  public String toString() {
    return table();
  }
}
