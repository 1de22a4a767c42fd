package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.gflownet.Reward;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The HyperGrid environment as torchgfn defines it ({@code gfn/gym/hypergrid.py}; Bengio, Jain,
 * Korablyov, Precup and Bengio, NeurIPS 2021; spec {@code gflownet.md} section 4): states {0..H-1}^D
 * with s_0 = 0, action d adds 1 to coordinate d (masked at H-1), every state terminating (exit
 * always allowed, also at s_0). States are numbered canonically, index = sum_j s_j H^{D-1-j},
 * which is a topological order; the forward actions of a state are its increments in coordinate
 * order followed by the exit, as in torchgfn.
 *
 * <p>Original reward: with a_d = |s_d/(H-1) - 1/2|, R(s) = R0 + R1 prod_d 1[a_d &gt; 1/4] + R2
 * prod_d 1[3/10 &lt; a_d &lt; 2/5], evaluated exactly with integers (outer ring iff 2|2s-(H-1)|
 * &gt; H-1, band iff 3(H-1) &lt; 5|2s-(H-1)| &lt; 4(H-1)). Since the band lies inside the ring,
 * Z = R0 H^D + R1 o^D + R2 b^D with o, b the per-coordinate ring and band counts, and the modes
 * (R = R0+R1+R2) number b^D.
 *
 * @param ndim D &gt;= 1
 * @param height H &gt;= 2
 * @param r0 R0 &gt; 0
 * @param r1 R1 &gt;= 0
 * @param r2 R2 &gt;= 0
 */
@API(status = API.Status.EXPERIMENTAL)
public record HyperGrid(int ndim, int height, BigFraction r0, BigFraction r1, BigFraction r2) {

  /** Checks the parameters. */
  public HyperGrid {
    Objects.requireNonNull(r0, "r0");
    Objects.requireNonNull(r1, "r1");
    Objects.requireNonNull(r2, "r2");
    if (ndim < 1 || height < 2) {
      throw new ModelException("hypergrid: ndim = " + ndim + " must be >= 1 and height = "
          + height + " >= 2");
    }
    if (Rationals.signum(r0) <= 0 || Rationals.signum(r1) < 0 || Rationals.signum(r2) < 0) {
      throw new ModelException("hypergrid: rewards R0 = " + Rationals.format(r0) + ", R1 = "
          + Rationals.format(r1) + ", R2 = " + Rationals.format(r2)
          + " must be R0 > 0, R1 >= 0, R2 >= 0");
    }
    double states = Math.pow(height, ndim);
    if (states * ndim > Integer.MAX_VALUE - 8) {
      throw new ModelException("hypergrid " + height + "^" + ndim + ": " + (long) states
          + " states are too many for int indices");
    }
  }

  /**
   * {@return torchgfn's defaults, D = 2, H = 8, (R0, R1, R2) = (0.1, 0.5, 2)}
   */
  public static HyperGrid original() {
    return of(2, 8);
  }

  /**
   * {@return a grid with torchgfn's default rewards (0.1, 0.5, 2)}
   * @param ndim D
   * @param height H
   */
  public static HyperGrid of(int ndim, int height) {
    return new HyperGrid(ndim, height, Rationals.of(1, 10), Rationals.of(1, 2), Rationals.of(2));
  }

  /**
   * {@return a copy with other rewards}
   * @param r0 R0 &gt; 0 (text: integer, decimal or p/q)
   * @param r1 R1 &gt;= 0
   * @param r2 R2 &gt;= 0
   */
  public HyperGrid withRewards(String r0, String r1, String r2) {
    return new HyperGrid(ndim, height, Rationals.parse(r0), Rationals.parse(r1),
        Rationals.parse(r2));
  }

  /** {@return the number of states H^D} */
  public int size() {
    int n = 1;
    for (int d = 0; d < ndim; d++) {
      n *= height;
    }
    return n;
  }

  /**
   * {@return whether coordinate value s is in the outer ring, a = |s/(H-1) - 1/2| &gt; 1/4}
   * @param s a coordinate in [0, H)
   */
  public boolean outer(int s) {
    int h = height - 1;
    return 2 * Math.abs(2 * s - h) > h;
  }

  /**
   * {@return whether coordinate value s is in the band 3/10 &lt; a &lt; 2/5}
   * @param s a coordinate in [0, H)
   */
  public boolean band(int s) {
    int h = height - 1;
    int v = 5 * Math.abs(2 * s - h);
    return 3 * h < v && v < 4 * h;
  }

  /**
   * {@return R(s) exactly}
   * @param coords the state
   */
  public BigFraction reward(List<Integer> coords) {
    boolean allOuter = true;
    boolean allBand = true;
    for (int c : coords) {
      allOuter &= outer(c);
      allBand &= band(c);
    }
    BigFraction r = r0;
    if (allOuter) {
      r = r.add(r1);
    }
    if (allBand) {
      r = r.add(r2);
    }
    return r;
  }

  /** {@return the closed form Z = R0 H^D + R1 o^D + R2 b^D} */
  public BigFraction partitionFunction() {
    int o = 0;
    int b = 0;
    for (int s = 0; s < height; s++) {
      o += outer(s) ? 1 : 0;
      b += band(s) ? 1 : 0;
    }
    return r0.multiply(BigInteger.valueOf(height).pow(ndim))
        .add(r1.multiply(BigInteger.valueOf(o).pow(ndim)))
        .add(r2.multiply(BigInteger.valueOf(b).pow(ndim)));
  }

  /** {@return the closed-form number of mode states b^D} */
  public long modeCount() {
    int b = 0;
    for (int s = 0; s < height; s++) {
      b += band(s) ? 1 : 0;
    }
    return BigInteger.valueOf(b).pow(ndim).longValueExact();
  }

  /**
   * {@return whether a state is a mode, R(s) &gt;= R0 + R1 + R2 (torchgfn's definition)}
   * @param coords the state
   */
  public boolean isMode(List<Integer> coords) {
    return reward(coords).compareTo(r0.add(r1).add(r2)) >= 0;
  }

  /**
   * {@return the coordinates of state index i}
   * @param i a canonical index
   */
  public List<Integer> coordinates(int i) {
    Integer[] c = new Integer[ndim];
    for (int d = ndim - 1; d >= 0; d--) {
      c[d] = i % height;
      i /= height;
    }
    return List.of(c);
  }

  /**
   * {@return the canonical index of a state, or -1 when it is not on the grid}
   * @param coords the coordinates
   */
  public int index(List<Integer> coords) {
    if (coords.size() != ndim) {
      return -1;
    }
    int i = 0;
    for (int c : coords) {
      if (c < 0 || c >= height) {
        return -1;
      }
      i = i * height + c;
    }
    return i;
  }

  /**
   * Tabulates the grid directly in canonical order (no hashing): O(D H^D) time, D(H-1)H^{D-1}
   * edges. Rewards are exact; the ring/band pattern is evaluated once per coordinate value.
   *
   * @return the network
   */
  public TabularFlowNetwork<List<Integer>> tabulate() {
    return build(null);
  }

  /**
   * Tabulates the grid with another reward (for example {@link #cosineReward()}, {@link
   * #sparseReward()}, {@link #deceptiveReward()}); the network is exact iff every reward is.
   *
   * @param rewardOf R of each state (called once per state, in canonical order)
   * @return the network
   */
  public TabularFlowNetwork<List<Integer>> tabulate(
      java.util.function.Function<? super List<Integer>, Reward> rewardOf) {
    return build(Objects.requireNonNull(rewardOf, "rewardOf"));
  }

  /**
   * {@return torchgfn's "cosine" reward R0 + R1 prod_d (cos(50 a_d) + 1) phi(5 a_d), phi the
   * standard normal density, a_d = |s_d/(H-1) - 1/2| (inexact, given by its logarithm)}
   */
  public java.util.function.Function<List<Integer>, Reward> cosineReward() {
    double a0 = Rationals.toDouble(r0);
    double a1 = Rationals.toDouble(r1);
    return c -> {
      double prod = 1;
      for (int x : c) {
        double a = Math.abs((double) x / (height - 1) - 0.5);
        prod *= (Math.cos(50 * a) + 1) * Math.exp(-12.5 * a * a) / Math.sqrt(2 * Math.PI);
      }
      return Reward.log(Math.log(a0 + a1 * prod));
    };
  }

  /**
   * {@return torchgfn's "deceptive" reward (Kim et al. 2025), exactly: (R0 + R1) - R1 prod_d
   * 1[a_d &gt; 1/10] + R2 prod_d 1[3/10 &lt; a_d &lt; 2/5]}
   */
  public java.util.function.Function<List<Integer>, Reward> deceptiveReward() {
    int h = height - 1;
    return c -> {
      boolean away = true;
      boolean allBand = true;
      for (int x : c) {
        away &= 5 * Math.abs(2 * x - h) > h;
        allBand &= band(x);
      }
      BigFraction r = r0.add(r1);
      if (away) {
        r = r.subtract(r1);
      }
      if (allBand) {
        r = r.add(r2);
      }
      return Reward.of(r);
    };
  }

  /**
   * {@return torchgfn's "sparse" reward (Pan et al. 2022, GAFN), exactly: 1 + 10^-12 at every
   * permutation of k ones and D-k coordinates H-2 (k = 0 .. D-1), 10^-12 elsewhere}
   */
  public java.util.function.Function<List<Integer>, Reward> sparseReward() {
    BigFraction eps = new BigFraction(BigInteger.ONE, BigInteger.TEN.pow(12));
    return c -> {
      int ones = 0;
      int high = 0;
      for (int x : c) {
        ones += x == 1 ? 1 : 0;
        high += x == height - 2 && x != 1 ? 1 : 0;
      }
      boolean target = ones + high == ndim && ones < ndim;
      return Reward.of(target ? eps.add(BigFraction.ONE) : eps);
    };
  }

  private TabularFlowNetwork<List<Integer>> build(
      java.util.function.@org.jspecify.annotations.Nullable Function<? super List<Integer>,
          Reward> rewardOf) {
    int n = size();
    long edgesLong = (long) ndim * (height - 1) * (n / height);
    if (edgesLong > Integer.MAX_VALUE - 8) {
      throw new ModelException("hypergrid " + height + "^" + ndim + ": " + edgesLong
          + " edges are too many for int indices");
    }
    int edges = (int) edgesLong;
    int[] childStart = new int[n + 1];
    int[] child = new int[edges];
    boolean[] terminating = new boolean[n];
    double[] logReward = new double[n];
    BigFraction[] reward = new BigFraction[n];
    int[] stride = new int[ndim];
    stride[ndim - 1] = 1;
    for (int d = ndim - 2; d >= 0; d--) {
      stride[d] = stride[d + 1] * height;
    }
    BigFraction[] levels = {r0, r0.add(r1), r0.add(r2), r0.add(r1).add(r2)};
    double[] logLevels = new double[4];
    for (int k = 0; k < 4; k++) {
      logLevels[k] = Reward.logOf(levels[k]);
    }
    boolean[] outer = new boolean[height];
    boolean[] band = new boolean[height];
    for (int s = 0; s < height; s++) {
      outer[s] = outer(s);
      band[s] = band(s);
    }
    int[] c = new int[ndim];
    int e = 0;
    boolean allExact = true;
    for (int i = 0; i < n; i++) {
      childStart[i] = e;
      boolean allOuter = true;
      boolean allBand = true;
      for (int d = 0; d < ndim; d++) {
        if (c[d] < height - 1) {
          child[e++] = i + stride[d];
        }
        allOuter &= outer[c[d]];
        allBand &= band[c[d]];
      }
      int level = (allOuter ? 1 : 0) + (allBand ? 2 : 0);
      terminating[i] = true;
      if (rewardOf == null) {
        reward[i] = levels[level];
        logReward[i] = logLevels[level];
      } else {
        Reward r = rewardOf.apply(coordinates(i));
        reward[i] = r.exact();
        logReward[i] = r.logValue();
        allExact &= r.isExact();
      }
      for (int d = ndim - 1; d >= 0; d--) { // odometer increment of the coordinates
        if (++c[d] < height) {
          break;
        }
        c[d] = 0;
      }
    }
    childStart[n] = e;
    return TabularFlowNetwork.of(n, this::coordinates, this::index, childStart, child,
        terminating, logReward, allExact ? reward : null);
  }

  /** {@return the indices of the mode states, ascending} */
  public int[] modes() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      if (isMode(coordinates(i))) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
