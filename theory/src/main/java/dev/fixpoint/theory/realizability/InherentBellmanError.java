package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Bound.Source;
import dev.fixpoint.dsl.Bound.Term;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import io.vavr.collection.List;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The inherent Bellman error of a linear class on the parameter ball F_B = {Phi theta :
 * ||theta||_2 &lt;= B} (Munos and Szepesvari 2008, d_{2,mu}(T F, F); spec B2), with the inner
 * infimum taken over the whole span (the projection residual), which is a lower bound on the
 * ball-to-ball definition:
 *
 * <pre>
 *   IBE_B(T^pi) = max_{||theta|| &lt;= B} ||u + K theta||_2,
 *   u = D^{1/2} (I - Pi_mu) r,   K = gamma D^{1/2} (I - Pi_mu) P^pi Phi.
 * </pre>
 *
 * <p>Evaluation operator: solved exactly (to double precision) as a trust-region subproblem with a
 * negative semidefinite Hessian: eigendecompose K^T K = V diag(w) V^T, g = V^T K^T u, find
 * lambda &gt; w_max with sum_i g_i^2/(lambda - w_i)^2 = B^2 by bisection, theta = V diag(1/(lambda -
 * w)) g; in the hard case (g has no component on the top eigenspace and the pseudo-solution at
 * lambda = w_max is inside the ball) the top eigenvector is added to reach the sphere (Moré and
 * Sorensen 1983 for the minimisation form). Optimality operator T: only bounds (the max makes the
 * problem non-convex): a lower bound by multi-start projected gradient ascent and the upper bound
 * ||u||_2 + gamma B sqrt(S) max_{s,a} ||phi(s,a)||_2 ||D^{1/2} (I - Pi_mu) P||_2.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class InherentBellmanError {
  private InherentBellmanError() {}

  /**
   * The solved subproblem for T^pi.
   *
   * @param radius B
   * @param value max_{||theta|| &lt;= B} ||u + K theta||_2
   * @param theta a maximiser (on the sphere ||theta|| = B)
   * @param hardCase whether the hard case occurred
   * @param normU ||u||_2 = the mu-norm of (I - Pi_mu) r
   * @param normK ||K||_2
   * @param lower the value as a lower bound on the ball-to-ball IBE
   * @param upper the triangle bound ||u|| + B ||K|| on the value
   */
  public record Ball(double radius, double value, double[] theta, boolean hardCase, double normU,
      double normK, Bound lower, Bound upper) {
    /** Copies theta. */
    public Ball {
      theta = theta.clone();
    }

    /** {@return a copy of the maximiser} */
    @Override
    public double[] theta() {
      return theta.clone();
    }

    /**
     * {@return ||u + K theta||_2 at any theta, e.g. to compare with sampled boundary points}
     * @param u the vector u
     * @param k the matrix K
     * @param t a parameter
     */
    public static double objective(double[] u, double[][] k, double[] t) {
      double s = 0;
      for (int i = 0; i < u.length; i++) {
        double acc = u[i];
        for (int j = 0; j < t.length; j++) {
          acc += k[i][j] * t[j];
        }
        s += acc * acc;
      }
      return Math.sqrt(s);
    }
  }

  /**
   * The data u and K of the subproblem for T^pi.
   *
   * @param u D^{1/2}(I - Pi_mu) r
   * @param k gamma D^{1/2} (I - Pi_mu) P^pi Phi
   */
  public record Problem(double[] u, double[][] k) {}

  /**
   * {@return u and K for T^pi (computed exactly then rounded when the inputs are exact)}
   * @param m the model
   * @param phi Phi
   * @param mu mu
   * @param pi the evaluated policy
   */
  public static Problem problem(TabularMdp<?, ?> m, LinearFeatures phi, DataWeights mu,
      TabularPolicy<?, ?> pi) {
    if (m.isExact() && phi.isExact() && mu.isExact() && pi.isExact()) {
      return problem(Field.EXACT, m, phi, mu, pi);
    }
    return problem(Field.DOUBLE, m, phi, mu, pi);
  }

  private static <T> Problem problem(Field<T> f, TabularMdp<?, ?> m, LinearFeatures phi,
      DataWeights mu, TabularPolicy<?, ?> pi) {
    RowModel<T> rm = new RowModel<>(f, m);
    Analysis<T> an = new Analysis<>(f, rm, phi, mu, pi, rm.r); // target unused here
    int n = an.n;
    int d = an.d;
    T[] ur = an.residual(rm.r);
    T[][] kp = Dense.sub(f, an.pphi, Dense.mul(f, an.proj, an.pphi));
    double g = f.toDouble(rm.gamma);
    double[] u = new double[n];
    double[][] k = new double[n][d];
    for (int i = 0; i < n; i++) {
      double s = Math.sqrt(f.toDouble(an.mu[i]));
      u[i] = s * f.toDouble(ur[i]);
      for (int j = 0; j < d; j++) {
        k[i][j] = g * s * f.toDouble(kp[i][j]);
      }
    }
    return new Problem(u, k);
  }

  /**
   * Solves the subproblem for T^pi.
   *
   * @param m the model
   * @param phi Phi
   * @param mu mu
   * @param pi the evaluated policy
   * @param radius B &gt;= 0
   * @return the maximum, a maximiser and the bounds
   */
  public static Ball evaluation(TabularMdp<?, ?> m, LinearFeatures phi, DataWeights mu,
      TabularPolicy<?, ?> pi, double radius) {
    return solve(problem(m, phi, mu, pi), radius);
  }

  /**
   * Solves max_{||theta|| &lt;= B} ||u + K theta||_2.
   *
   * @param p u and K
   * @param radius B &gt;= 0
   * @return the solution
   */
  public static Ball solve(Problem p, double radius) {
    if (!(radius >= 0) || !Double.isFinite(radius)) {
      throw new ModelException("IBE ball radius B = " + radius + " must be finite and >= 0");
    }
    double[] u = p.u();
    double[][] k = p.k();
    int n = u.length;
    int d = k[0].length;
    double[][] h = new double[d][d];
    double[] ktu = new double[d];
    for (int i = 0; i < d; i++) {
      for (int r = 0; r < n; r++) {
        ktu[i] += k[r][i] * u[r];
      }
      for (int j = 0; j < d; j++) {
        for (int r = 0; r < n; r++) {
          h[i][j] += k[r][i] * k[r][j];
        }
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(new DMatrixRMaj(h))) {
      throw new ArithmeticException("eigendecomposition of K^T K did not converge");
    }
    double[] w = new double[d];
    double[][] v = new double[d][d]; // columns are eigenvectors
    double wmax = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < d; c++) {
      w[c] = eig.getEigenvalue(c).real;
      DMatrixRMaj vec = eig.getEigenVector(c);
      double nn = 0;
      for (int i = 0; i < d; i++) {
        nn += vec.get(i) * vec.get(i);
      }
      nn = Math.sqrt(nn);
      for (int i = 0; i < d; i++) {
        v[i][c] = vec.get(i) / nn;
      }
      wmax = Math.max(wmax, w[c]);
    }
    double[] g = new double[d];
    double gnorm = 0;
    for (int c = 0; c < d; c++) {
      for (int i = 0; i < d; i++) {
        g[c] += v[i][c] * ktu[i];
      }
      gnorm += g[c] * g[c];
    }
    gnorm = Math.sqrt(gnorm);
    double topTol = 1e-10 * Math.max(1, Math.abs(wmax));
    double gTol = 1e-10 * Math.max(1e-300, Math.max(gnorm, norm(u) * Math.sqrt(Math.max(wmax, 0))));
    boolean[] top = new boolean[d];
    double gTop = 0;
    int topIndex = 0;
    for (int c = 0; c < d; c++) {
      top[c] = w[c] >= wmax - topTol;
      if (top[c]) {
        gTop = Math.max(gTop, Math.abs(g[c]));
        topIndex = c;
      }
    }
    double[] coords = new double[d];
    boolean hard = false;
    if (radius == 0) {
      // theta = 0
    } else if (gTop <= gTol) {
      double pseudo = 0;
      for (int c = 0; c < d; c++) {
        if (!top[c]) {
          coords[c] = g[c] / (wmax - w[c]);
          pseudo += coords[c] * coords[c];
        }
      }
      if (pseudo <= radius * radius) {
        hard = true;
        coords[topIndex] = Math.sqrt(radius * radius - pseudo);
      } else {
        coords = secular(g, w, top, wmax, gnorm, radius);
      }
    } else {
      coords = secular(g, w, null, wmax, gnorm, radius);
    }
    double[] theta = new double[d];
    for (int i = 0; i < d; i++) {
      for (int c = 0; c < d; c++) {
        theta[i] += v[i][c] * coords[c];
      }
    }
    double value = Ball.objective(u, k, theta);
    double normU = norm(u);
    double normK = Math.sqrt(Math.max(wmax, 0));
    List<Term> terms = List.of(Term.of("B", "parameter-ball radius", radius),
        Term.of("||u||", "||(I - Pi_mu) r||_mu", normU),
        Term.of("||K||_2", "gamma ||D^{1/2}(I - Pi_mu) P^pi Phi||_2", normK));
    Bound lower = Bound.lower("IBE_mu(F_B, T^pi), inner inf over the ball",
        "max_{||theta||<=B} ||u + K theta|| (inner inf over span Phi)", value,
        terms.append(Term.of("hard case", "1 if the top eigenvector was added", hard ? 1 : 0)),
        Source.derived("spec B2: the inner inf over the span lower-bounds the ball-to-ball "
            + "definition; trust-region subproblem solved to double precision"));
    Bound upper = Bound.upper("max_{||theta||<=B} ||u + K theta||", "||u|| + B ||K||_2",
        normU + radius * normK, terms, Source.derived("spec B2, triangle inequality"));
    return new Ball(radius, value, theta, hard, normU, normK, lower, upper);
  }

  private static double[] secular(double[] g, double[] w, boolean[] skip, double wmax,
      double gnorm, double radius) {
    double lo = wmax;
    double hi = wmax + gnorm / radius;
    for (int it = 0; it < 300; it++) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        break;
      }
      double s = 0;
      for (int c = 0; c < g.length; c++) {
        double x = g[c] / (mid - w[c]);
        s += x * x;
      }
      if (s > radius * radius) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double[] coords = new double[g.length];
    for (int c = 0; c < g.length; c++) {
      coords[c] = g[c] / (hi - w[c]);
    }
    return coords;
  }

  /**
   * Bounds on the IBE of the optimality operator T on F_B (spec B2): a lower bound, the best
   * value of ||D^{1/2}(I - Pi_mu)(r + gamma P m(Phi theta))||_2 found by projected gradient
   * ascent from {@code starts} random points of the sphere (every theta gives a valid lower
   * bound), and the upper bound ||u|| + gamma B sqrt(S) max ||phi(s,a)|| ||D^{1/2}(I - Pi_mu)
   * P||_2.
   *
   * @param m the model
   * @param phi Phi
   * @param mu mu
   * @param radius B
   * @param starts number of random starts (&gt;= 1)
   * @param rng the seeded source of the starts
   * @return [lower, upper]
   */
  public static List<Bound> optimality(TabularMdp<?, ?> m, LinearFeatures phi, DataWeights mu,
      double radius, int starts, RandomGenerator rng) {
    if (starts < 1) {
      throw new IllegalArgumentException("starts = " + starts + " must be >= 1");
    }
    TabularPolicy<?, ?> any = TabularPolicy.uniform(m);
    RowModel<Double> rm = new RowModel<>(Field.DOUBLE, m);
    Analysis<Double> an = new Analysis<>(Field.DOUBLE, rm, phi, mu, any, rm.r);
    int n = an.n;
    int d = an.d;
    int sn = m.numStates();
    double g = rm.gamma;
    double[][] pr = Dense.toDoubles(Field.DOUBLE, an.proj);
    double[][] p = Dense.toDoubles(Field.DOUBLE, rm.kernel());
    double[][] ph = phi.toArray();
    double[] sq = new double[n];
    for (int i = 0; i < n; i++) {
      sq[i] = Math.sqrt(an.mu[i]);
    }
    // L = D^{1/2}(I - Pi) (n x n)
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        l[i][j] = sq[i] * ((i == j ? 1 : 0) - pr[i][j]);
      }
    }
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        u[i] += l[i][j] * rm.r[j];
      }
    }
    double[][] lp = Spectra.mul(l, p);
    double maxPhi = 0;
    for (double[] row : ph) {
      maxPhi = Math.max(maxPhi, norm(row));
    }
    double normLp = Spectra.norm2(lp);
    double up = norm(u) + g * radius * Math.sqrt(sn) * maxPhi * normLp;
    double best = norm(u);
    double[] theta = new double[d];
    for (int st = 0; st < starts; st++) {
      double nn = 0;
      for (int j = 0; j < d; j++) {
        theta[j] = rng.nextGaussian();
        nn += theta[j] * theta[j];
      }
      nn = Math.sqrt(nn);
      for (int j = 0; j < d; j++) {
        theta[j] *= radius / Math.max(nn, 1e-300);
      }
      double step = radius;
      for (int it = 0; it < 100; it++) {
        int[] arg = new int[sn];
        double[] y = controlResidual(m, ph, u, lp, g, theta, arg);
        double val = norm(y);
        best = Math.max(best, val);
        // gradient of ||y||: gamma (L P E_arg Phi)^T y / ||y||
        double[] grad = new double[d];
        if (val > 0) {
          for (int i = 0; i < n; i++) {
            for (int s = 0; s < sn; s++) {
              if (arg[s] < 0) {
                continue;
              }
              double c = g * lp[i][s] * y[i] / val;
              for (int j = 0; j < d; j++) {
                grad[j] += c * ph[arg[s]][j];
              }
            }
          }
        }
        double gn = norm(grad);
        if (gn == 0) {
          break;
        }
        double nn2 = 0;
        for (int j = 0; j < d; j++) {
          theta[j] += step * grad[j] / gn;
          nn2 += theta[j] * theta[j];
        }
        nn2 = Math.sqrt(nn2);
        if (nn2 > radius) {
          for (int j = 0; j < d; j++) {
            theta[j] *= radius / nn2;
          }
        }
        step *= 0.9;
      }
      best = Math.max(best, norm(controlResidual(m, ph, u, lp, g, theta, new int[sn])));
    }
    List<Term> terms = List.of(Term.of("B", "parameter-ball radius", radius),
        Term.of("||u||", "||(I - Pi_mu) r||_mu", norm(u)),
        Term.of("gamma", "discount", g), Term.of("S", "number of states", sn),
        Term.of("max ||phi||", "largest feature-row norm", maxPhi),
        Term.of("||D^{1/2}(I - Pi) P||_2", "projected kernel norm", normLp));
    Source src = Source.derived("spec B2 (control operator: non-convex, bounds only)");
    return List.of(
        Bound.lower("IBE_mu(F_B, T), inner inf over span Phi", "best ||D^{1/2}(I - Pi)(T Phi "
            + "theta)|| over " + starts + " projected-gradient runs", best,
            terms.append(Term.of("starts", "random starts", starts)), src),
        Bound.upper("IBE_mu(F_B, T), inner inf over span Phi",
            "||u|| + gamma B sqrt(S) max||phi|| ||D^{1/2}(I - Pi) P||_2", up, terms, src));
  }

  /** y = u + gamma L P m(Phi theta); arg[s] = the maximising row of s (-1 for terminal). */
  private static double[] controlResidual(TabularMdp<?, ?> m, double[][] ph, double[] u,
      double[][] lp, double g, double[] theta, int[] arg) {
    int sn = m.numStates();
    double[] mv = new double[sn];
    for (int s = 0; s < sn; s++) {
      arg[s] = -1;
      double bestV = Double.NEGATIVE_INFINITY;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        double q = 0;
        for (int j = 0; j < theta.length; j++) {
          q += ph[r][j] * theta[j];
        }
        if (q > bestV) {
          bestV = q;
          arg[s] = r;
        }
      }
      mv[s] = arg[s] < 0 ? 0 : bestV;
    }
    double[] y = u.clone();
    for (int i = 0; i < y.length; i++) {
      for (int s = 0; s < sn; s++) {
        y[i] += g * lp[i][s] * mv[s];
      }
    }
    return y;
  }

  private static double norm(double[] x) {
    double s = 0;
    for (double a : x) {
      s += a * a;
    }
    return Math.sqrt(s);
  }

}
