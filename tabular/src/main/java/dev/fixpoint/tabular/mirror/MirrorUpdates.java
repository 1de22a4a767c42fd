package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.Arrays;
import java.util.Optional;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One policy mirror descent update over all non-terminal states of a tabular model, for a given Q:
 *
 * <pre>pi'(.|s) = argmax_{p in Delta(A_s)} { eta &lt;Q(s, .), p&gt; - D_h(p, pi(.|s)) }</pre>
 *
 * (spec A1; Xiao 2022, JMLR). Policies and Q are arrays over the model's rows; terminal states have
 * no rows and take no update. Per map:
 *
 * <ul>
 *   <li>KL: pi'(a|s) = pi(a|s) exp(eta Q(s,a)) / Z(s), computed as exp(log pi + eta (Q - max Q))
 *       (max-shift, so no overflow; zero-mass actions stay at zero);
 *   <li>Euclidean: pi'(.|s) = Proj_Delta(pi(.|s) + eta Q(s, .)) by the sort-based projection (sort
 *       u_1 &gt;= ... &gt;= u_m, j* = max{j : u_j - (u_1 + ... + u_j - 1)/j &gt; 0}, theta = (u_1 +
 *       ... + u_j* - 1)/j*, p = max(v - theta, 0); Held, Wolfe and Crowder 1974; Duchi et al. 2008),
 *       in double or exactly in rationals;
 *   <li>Tsallis q: p_a = [((q-1)/q)(grad h_q(pi)_a + eta Q_a - lambda)]_+^(1/(q-1)), grad h_q(pi)_a
 *       = q pi_a^(q-1)/(q-1), with lambda found by bisection so that sum_a p_a = 1 (the sum is
 *       decreasing in lambda; spec A1.3, derived from the KKT conditions), then renormalised.
 * </ul>
 *
 * <p>An infinite step (eta = +infinity) gives the limit of the update: the Bregman projection of
 * pi(.|s) onto the distributions supported on G(s) = argmax_a Q(s, a): for KL pi conditioned on
 * G(s), for Euclidean Proj_{Delta(G(s))}(pi restricted to G(s)), for Tsallis the same KKT solve
 * with Q = 0 on G(s). When pi puts no mass on G(s) (KL, or Tsallis with q &lt; 1), the first action
 * of G(s) is taken, as policy iteration does. In doubles, G(s) holds the actions within 1e-12
 * max(1, max_a |Q(s,a)|) of the maximum; exactly, the maximisers.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class MirrorUpdates {
  static final double TIE = 1e-12;
  private static final int BISECTIONS = 300;

  private MirrorUpdates() {}

  /**
   * One update in double arithmetic.
   *
   * @param m the model
   * @param map the mirror map
   * @param eta the step, &gt; 0, or {@code Double.POSITIVE_INFINITY} for the greedy limit
   * @param pi the current policy over rows
   * @param q the action values over rows (Q^pi in PMD)
   * @return the next policy over rows (a new array)
   * @throws IllegalArgumentException when eta is not positive or an array length is wrong
   */
  public static double[] update(TabularMdp<?, ?> m, MirrorMap map, double eta, double[] pi,
      double[] q) {
    checkLengths(m, pi.length, q.length);
    if (!(eta > 0)) {
      throw new IllegalArgumentException("step eta must be > 0, got " + eta);
    }
    double[] out = new double[pi.length];
    for (int s = 0; s < m.numStates(); s++) {
      int lo = m.rowStart(s);
      int hi = m.rowEnd(s);
      if (lo == hi) {
        continue;
      }
      if (eta == Double.POSITIVE_INFINITY) {
        greedyLimit(map, pi, q, lo, hi, out);
        continue;
      }
      double qmax = max(q, lo, hi);
      switch (map) {
        case MirrorMap.Kl kl -> {
          double zmax = Double.NEGATIVE_INFINITY;
          for (int r = lo; r < hi; r++) {
            out[r] = Math.log(pi[r]) + eta * (q[r] - qmax);
            zmax = Math.max(zmax, out[r]);
          }
          double sum = 0;
          for (int r = lo; r < hi; r++) {
            out[r] = Math.exp(out[r] - zmax);
            sum += out[r];
          }
          for (int r = lo; r < hi; r++) {
            out[r] /= sum;
          }
        }
        case MirrorMap.Euclidean e -> {
          double[] v = new double[hi - lo];
          for (int r = lo; r < hi; r++) {
            v[r - lo] = pi[r] + eta * (q[r] - qmax);
          }
          double[] p = projectToSimplex(v);
          System.arraycopy(p, 0, out, lo, p.length);
        }
        case MirrorMap.Tsallis ts -> {
          double[] y = new double[hi - lo];
          for (int r = lo; r < hi; r++) {
            y[r - lo] = tsallisGrad(ts.q(), pi[r]) + eta * (q[r] - qmax);
          }
          double[] p = tsallisSolve(ts.q(), y);
          System.arraycopy(p, 0, out, lo, p.length);
        }
      }
    }
    return out;
  }

  /**
   * One Euclidean update in exact rational arithmetic: pi'(.|s) = Proj_Delta(pi(.|s) + eta Q(s,
   * .)), or for an infinite step Proj_{Delta(G(s))}(pi restricted to G(s)).
   *
   * @param m the model
   * @param eta the step, &gt; 0; empty for the infinite step
   * @param pi the current policy over rows
   * @param q the action values over rows
   * @return the next policy over rows
   */
  public static BigFraction[] updateEuclideanExact(TabularMdp<?, ?> m,
      Optional<BigFraction> eta, BigFraction[] pi, BigFraction[] q) {
    checkLengths(m, pi.length, q.length);
    if (eta.isPresent() && Rationals.signum(eta.get()) <= 0) {
      throw new IllegalArgumentException("step eta must be > 0, got "
          + Rationals.format(eta.get()));
    }
    BigFraction[] out = new BigFraction[pi.length];
    Arrays.fill(out, BigFraction.ZERO);
    for (int s = 0; s < m.numStates(); s++) {
      int lo = m.rowStart(s);
      int hi = m.rowEnd(s);
      if (lo == hi) {
        continue;
      }
      if (eta.isEmpty()) {
        boolean[] g = argmaxExact(q, lo, hi);
        BigFraction[] p = projectToSimplex(restrict(pi, lo, hi, g));
        for (int r = lo, i = 0; r < hi; r++) {
          if (g[r - lo]) {
            out[r] = p[i++];
          }
        }
        continue;
      }
      BigFraction[] v = new BigFraction[hi - lo];
      for (int r = lo; r < hi; r++) {
        v[r - lo] = pi[r].add(eta.get().multiply(q[r]));
      }
      BigFraction[] p = projectToSimplex(v);
      System.arraycopy(p, 0, out, lo, p.length);
    }
    return out;
  }

  /**
   * The Euclidean projection of v onto the probability simplex (sort-based; see the class comment).
   *
   * @param v a non-empty vector of finite doubles
   * @return argmin_{p in Delta} ||p - v||
   */
  public static double[] projectToSimplex(double[] v) {
    if (v.length == 0) {
      throw new IllegalArgumentException("cannot project an empty vector onto the simplex");
    }
    double[] u = v.clone();
    Arrays.sort(u);
    double cum = 0;
    double theta = 0;
    for (int j = 1; j <= u.length; j++) {
      double uj = u[u.length - j];
      cum += uj;
      double t = (cum - 1) / j;
      if (uj - t > 0) {
        theta = t;
      }
    }
    double[] p = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      p[i] = Math.min(1.0, Math.max(v[i] - theta, 0.0));
    }
    return p;
  }

  /**
   * The Euclidean projection of v onto the probability simplex, exactly.
   *
   * @param v a non-empty vector
   * @return argmin_{p in Delta} ||p - v||, with exactly sum p = 1
   */
  public static BigFraction[] projectToSimplex(BigFraction[] v) {
    if (v.length == 0) {
      throw new IllegalArgumentException("cannot project an empty vector onto the simplex");
    }
    BigFraction[] u = v.clone();
    Arrays.sort(u);
    BigFraction cum = BigFraction.ZERO;
    BigFraction theta = BigFraction.ZERO;
    for (int j = 1; j <= u.length; j++) {
      BigFraction uj = u[u.length - j];
      cum = cum.add(uj);
      BigFraction t = cum.subtract(BigFraction.ONE).divide(j);
      if (uj.compareTo(t) > 0) {
        theta = t;
      }
    }
    BigFraction[] p = new BigFraction[v.length];
    for (int i = 0; i < v.length; i++) {
      p[i] = Rationals.max(v[i].subtract(theta), BigFraction.ZERO);
    }
    return p;
  }

  /**
   * min_{p supported on argmax Q(s,.)} D_h(p, pi(.|s)) for one state's rows, in doubles: the
   * quantity in Johnson et al.'s adaptive step (spec A2.4). KL: -log pi(G(s)|s); Euclidean: (1/2)
   * ||p* - pi||^2 at the projection p*; Tsallis: D_h(p*, pi) at the Bregman projection p*.
   *
   * @param map the mirror map
   * @param pi the policy over rows
   * @param q the action values over rows
   * @param lo the state's first row
   * @param hi one past its last row
   * @return the divergence, &gt;= 0 (infinite when pi puts no mass on G(s) under KL)
   */
  public static double greedyDivergence(MirrorMap map, double[] pi, double[] q, int lo, int hi) {
    double[] p = new double[pi.length];
    greedyLimit(map, pi, q, lo, hi, p);
    double d = 0;
    switch (map) {
      case MirrorMap.Kl kl -> {
        boolean[] g = argmax(q, lo, hi);
        double mass = 0;
        for (int r = lo; r < hi; r++) {
          mass += g[r - lo] ? pi[r] : 0;
        }
        d = -Math.log(Math.min(1.0, mass));
      }
      case MirrorMap.Euclidean e -> {
        for (int r = lo; r < hi; r++) {
          d += 0.5 * (p[r] - pi[r]) * (p[r] - pi[r]);
        }
      }
      case MirrorMap.Tsallis ts -> {
        double qq = ts.q();
        for (int r = lo; r < hi; r++) {
          if (p[r] == 0 && pi[r] == 0) {
            continue;
          }
          d += (Math.pow(p[r], qq) - Math.pow(pi[r], qq)) / (qq - 1)
              - tsallisGrad(qq, pi[r]) * (p[r] - pi[r]);
        }
      }
    }
    return Math.max(0.0, d);
  }

  /**
   * The exact Euclidean greedy divergence (1/2)||Proj_{Delta(G(s))}(pi on G(s)) - pi(.|s)||^2.
   *
   * @param pi the policy over rows
   * @param q the action values over rows
   * @param lo the state's first row
   * @param hi one past its last row
   * @return the divergence
   */
  public static BigFraction greedyDivergenceEuclideanExact(BigFraction[] pi, BigFraction[] q,
      int lo, int hi) {
    boolean[] g = argmaxExact(q, lo, hi);
    BigFraction[] p = projectToSimplex(restrict(pi, lo, hi, g));
    BigFraction d = BigFraction.ZERO;
    for (int r = lo, i = 0; r < hi; r++) {
      BigFraction diff = (g[r - lo] ? p[i++] : BigFraction.ZERO).subtract(pi[r]);
      d = d.add(diff.multiply(diff));
    }
    return d.divide(2);
  }

  // ------------------------------------------------------------------ internals

  private static void greedyLimit(MirrorMap map, double[] pi, double[] q, int lo, int hi,
      double[] out) {
    boolean[] g = argmax(q, lo, hi);
    double[] sub = restrict(pi, lo, hi, g);
    double @Nullable [] p = switch (map) {
      case MirrorMap.Kl kl -> {
        double mass = 0;
        for (double x : sub) {
          mass += x;
        }
        double[] c = new double[sub.length];
        for (int i = 0; i < c.length; i++) {
          c[i] = mass > 0 ? sub[i] / mass : 0;
        }
        yield mass > 0 ? c : null;
      }
      case MirrorMap.Euclidean e -> projectToSimplex(sub);
      case MirrorMap.Tsallis ts -> {
        double[] y = new double[sub.length];
        double mass = 0;
        for (int i = 0; i < y.length; i++) {
          y[i] = tsallisGrad(ts.q(), sub[i]);
          mass += sub[i];
        }
        yield ts.q() < 1 && !(mass > 0) ? null : tsallisSolve(ts.q(), y);
      }
    };
    for (int r = lo, i = 0; r < hi; r++) {
      out[r] = 0;
      if (g[r - lo]) {
        // no mass on the greedy set: policy iteration's choice, the first greedy action
        out[r] = p != null ? p[i] : (i == 0 ? 1 : 0);
        i++;
      }
    }
  }

  static double tsallisGrad(double q, double p) {
    return q * Math.pow(p, q - 1) / (q - 1);
  }

  /** Solves sum_a [((q-1)/q)(y_a - lambda)]_+^(1/(q-1)) = 1 for lambda by bisection. */
  static double[] tsallisSolve(double q, double[] y) {
    double ymax = Double.NEGATIVE_INFINITY;
    for (double x : y) {
      ymax = Math.max(ymax, x);
    }
    double lo;
    double hi;
    if (q > 1) {
      lo = ymax - q / (q - 1);
      hi = ymax;
    } else {
      lo = ymax + q / (1 - q);
      hi = ymax + q * Math.pow(y.length, 1 - q) / (1 - q);
    }
    for (int it = 0; it < BISECTIONS; it++) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (tsallisSum(q, y, mid) > 1) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double lambda = 0.5 * (lo + hi);
    double[] p = new double[y.length];
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      p[i] = tsallisP(q, y[i], lambda);
      sum += p[i];
    }
    for (int i = 0; i < y.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  private static double tsallisSum(double q, double[] y, double lambda) {
    double s = 0;
    for (double x : y) {
      s += tsallisP(q, x, lambda);
    }
    return s;
  }

  private static double tsallisP(double q, double y, double lambda) {
    double base = (q - 1) / q * (y - lambda);
    return base > 0 ? Math.pow(base, 1 / (q - 1)) : 0;
  }

  private static double max(double[] q, int lo, int hi) {
    double mx = Double.NEGATIVE_INFINITY;
    for (int r = lo; r < hi; r++) {
      mx = Math.max(mx, q[r]);
    }
    return mx;
  }

  static boolean[] argmax(double[] q, int lo, int hi) {
    double mx = max(q, lo, hi);
    double scale = 0;
    for (int r = lo; r < hi; r++) {
      scale = Math.max(scale, Math.abs(q[r]));
    }
    double tol = TIE * Math.max(1.0, scale);
    boolean[] g = new boolean[hi - lo];
    for (int r = lo; r < hi; r++) {
      g[r - lo] = q[r] >= mx - tol;
    }
    return g;
  }

  static boolean[] argmaxExact(BigFraction[] q, int lo, int hi) {
    BigFraction mx = q[lo];
    for (int r = lo; r < hi; r++) {
      mx = Rationals.max(mx, q[r]);
    }
    boolean[] g = new boolean[hi - lo];
    for (int r = lo; r < hi; r++) {
      g[r - lo] = q[r].compareTo(mx) == 0;
    }
    return g;
  }

  private static double[] restrict(double[] pi, int lo, int hi, boolean[] g) {
    int n = 0;
    for (boolean b : g) {
      n += b ? 1 : 0;
    }
    double[] sub = new double[n];
    for (int r = lo, i = 0; r < hi; r++) {
      if (g[r - lo]) {
        sub[i++] = pi[r];
      }
    }
    return sub;
  }

  private static BigFraction[] restrict(BigFraction[] pi, int lo, int hi, boolean[] g) {
    int n = 0;
    for (boolean b : g) {
      n += b ? 1 : 0;
    }
    BigFraction[] sub = new BigFraction[n];
    for (int r = lo, i = 0; r < hi; r++) {
      if (g[r - lo]) {
        sub[i++] = pi[r];
      }
    }
    return sub;
  }

  private static void checkLengths(TabularMdp<?, ?> m, int pi, int q) {
    if (pi != m.numRows() || q != m.numRows()) {
      throw new IllegalArgumentException("policy and Q must have " + m.numRows()
          + " entries (one per row), got " + pi + " and " + q);
    }
  }
}
