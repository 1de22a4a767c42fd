package dev.fixpoint.gpu;

import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseMemObject;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import dev.fixpoint.gpu.internal.ClContext;
import dev.fixpoint.tabular.gflownet.Flows;
import dev.fixpoint.tabular.gflownet.LogFlow;
import java.util.Arrays;
import org.apiguardian.api.API;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * The exact GFlowNet flow of a fixed backward policy in log space, computed on an OpenCL device
 * (float64) one topological level at a time: the device counterpart of {@code
 * dev.fixpoint.tabular.gflownet.Flows.logSpace}.
 *
 * <p><b>Maths.</b> For a fixed P_B the flow is unique (Bengio et al., <i>GFlowNet Foundations</i>,
 * JMLR 2023, §3.3; Malkin et al. 2022, Prop. 1): in log space
 *
 * <pre>
 *   log F(s) = logsumexp( [log R(s) if s is terminating] , log F(c) + log P_B(s|c) for c in Ch(s) )
 *   log F(s -&gt; c) = log F(c) + log P_B(s|c),   log Z = log F(s0)
 * </pre>
 *
 * <p><b>Levels.</b> The height of a state is 0 when it has no children and otherwise 1 + the
 * largest height of its children, so every child of a height-h state has height below h. The
 * states of one height are independent: one kernel launch computes all of them (one work-item per
 * state), and the launches run in increasing height on one in-order queue. A HyperGrid with D
 * dimensions and height H has D(H-1)+1 levels (the height of s is the sum of H-1-s_i).
 *
 * <p><b>Arithmetic.</b> Each work-item performs the CPU's operations in the CPU's order (maximum
 * over the same terms, then the sum of exp(term - max) in edge order, then max + log(sum)), with
 * fused multiply-adds off. Only {@code exp} and {@code log} differ: Java's {@code Math} functions
 * are within 1 ulp, OpenCL's double {@code exp}/{@code log} within 3 ulp (OpenCL C 1.2
 * specification, §7.4, the double-precision ulp table), so results are not guaranteed
 * bit-identical. Since log-sum-exp is 1-Lipschitz in the sup norm of its arguments, the
 * difference at a state is at most its children's largest difference plus the local
 * difference of one log-sum-exp of k terms; with u = 2^-53 a first-order bound is
 *
 * <pre>
 *   |log F_dev(s) - log F_cpu(s)| &lt;= (h(s) + 1) * ( 8 (k + 2) u + 4 u max_s |log F(s)| )
 * </pre>
 *
 * <p>(k the largest number of terms of one log-sum-exp; 4 ulp of relative error per exp, summed
 * over k terms, 4 ulp from log, and one rounding of the final sum in each of the two). {@link
 * #tolerance} returns this bound and the tests assert it; the edge flows and forward log-policy
 * inherit it (twice for log P_F, a difference of two flows). The forward log-policy is computed on
 * the host by the CPU's formulas from the device's flows.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class OpenClFlows {
  private OpenClFlows() {}

  private static final String SOURCE = """
      #pragma OPENCL EXTENSION cl_khr_fp64 : enable
      #pragma OPENCL FP_CONTRACT OFF
      // One state of one height: the CPU's streaming log-sum-exp over the exit and the children.
      __kernel void flow_level(__global const int* order, int offset, int count,
          __global const int* cs, __global const int* child, __global const double* pb,
          __global const double* logR, __global const uchar* term,
          __global double* logF, __global double* edge) {
        int i = get_global_id(0);
        if (i >= count) {
          return;
        }
        int s = order[offset + i];
        double m = term[s] ? logR[s] : -INFINITY;
        for (int e = cs[s]; e < cs[s + 1]; e++) {
          double v = logF[child[e]] + pb[e];
          edge[e] = v;
          if (v > m) {
            m = v;
          }
        }
        if (m == -INFINITY) {
          logF[s] = m;
          return;
        }
        double acc = term[s] ? exp(logR[s] - m) : 0.0;
        for (int e = cs[s]; e < cs[s + 1]; e++) {
          acc += exp(edge[e] - m);
        }
        logF[s] = m + log(acc);
      }
      """;

  /**
   * The states grouped by height: {@code order[start[h] .. start[h+1])} are the states of height
   * h, in increasing index.
   *
   * @param order the states, by height
   * @param start offsets, length (number of levels) + 1
   */
  public record Levels(int[] order, int[] start) {
    /** {@return the number of levels (largest height + 1)} */
    public int count() {
      return start.length - 1;
    }

    /**
     * {@return the height of every state} 0 for a state without children, else 1 + its
     * children's largest height.
     *
     * @param net the network (states numbered in topological order, children after parents)
     */
    public static int[] heights(TabularFlowNetwork<?> net) {
      FlowCsr g = net.csr();
      int[] cs = g.childStart();
      int[] child = g.child();
      int[] h = new int[g.n()];
      for (int s = g.n() - 1; s >= 0; s--) {
        int m = -1;
        for (int e = cs[s]; e < cs[s + 1]; e++) {
          m = Math.max(m, h[child[e]]);
        }
        h[s] = m + 1;
      }
      return h;
    }

    /**
     * {@return the levels of a network} A counting sort of {@link #heights}: O(|S| + |E|).
     *
     * @param net the network
     */
    public static Levels of(TabularFlowNetwork<?> net) {
      int[] h = heights(net);
      int levels = 0;
      for (int x : h) {
        levels = Math.max(levels, x + 1);
      }
      int[] start = new int[levels + 1];
      for (int x : h) {
        start[x + 1]++;
      }
      for (int l = 0; l < levels; l++) {
        start[l + 1] += start[l];
      }
      int[] fill = Arrays.copyOf(start, levels);
      int[] order = new int[h.length];
      for (int s = 0; s < h.length; s++) {
        order[fill[h[s]]++] = s;
      }
      return new Levels(order, start);
    }
  }

  /**
   * {@return the log-space flow of {@code backward}, computed level by level on the float64
   * OpenCL device} Same result type and conventions as {@code Flows.logSpace} (log F = -infinity
   * on states that reach no reward, uniform forward policy there); within {@link #tolerance} of
   * it.
   *
   * @param net the network
   * @param backward its backward policy table
   * @throws ModelException when no float64 OpenCL device exists, or a buffer exceeds the device's
   *     limit
   * @throws IllegalArgumentException when the table's edge count is not the network's
   */
  public static LogFlow logSpace(TabularFlowNetwork<?> net, BackwardTable backward) {
    try (Resident r = upload(net, backward)) {
      return r.flow();
    }
  }

  /**
   * {@return the network and table uploaded to the float64 OpenCL device, ready for {@link
   * Resident#flow()} any number of times} Close it to free the device memory.
   *
   * @param net the network
   * @param backward its backward policy table
   * @throws ModelException when no float64 OpenCL device exists, or a buffer exceeds the device's
   *     limit
   * @throws IllegalArgumentException when the table's edge count is not the network's
   */
  public static Resident upload(TabularFlowNetwork<?> net, BackwardTable backward) {
    if (backward.edges() != net.edges()) {
      throw new IllegalArgumentException("backward table has " + backward.edges()
          + " edges, the network " + net.edges());
    }
    return new Resident(net, Levels.of(net), backward.logProbabilities());
  }

  /**
   * A network and backward table held in device memory (8 buffers, about 12 |S| + 12 |E| bytes
   * plus 9 |S| + 8 |E| for the flows). Not thread-safe beyond the device's own serialisation.
   */
  public static final class Resident implements AutoCloseable {
    private final TabularFlowNetwork<?> net;
    private final FlowCsr g;
    private final Levels lv;
    private final ClContext c;
    private final cl_mem[] mems = new cl_mem[8];

    Resident(TabularFlowNetwork<?> net, Levels lv, double[] logPb) {
      this.net = net;
      this.g = net.csr();
      this.lv = lv;
      int n = g.n();
      int edges = g.edges();
      byte[] term = new byte[n];
      for (int s = 0; s < n; s++) {
        term[s] = (byte) (g.terminating()[s] ? 1 : 0);
      }
      c = ClContext.get(true);
      try {
        mems[0] = c.buffer((long) n * Sizeof.cl_int, Pointer.to(lv.order()), "the level order");
        mems[1] = c.buffer((long) (n + 1) * Sizeof.cl_int, Pointer.to(g.childStart()),
            "the child offsets");
        mems[2] = c.buffer((long) edges * Sizeof.cl_int, Pointer.to(g.child()), "the children");
        mems[3] = c.buffer((long) edges * Sizeof.cl_double, Pointer.to(logPb), "log P_B");
        mems[4] = c.buffer((long) n * Sizeof.cl_double, Pointer.to(g.logReward()), "log R");
        mems[5] = c.buffer(n, Pointer.to(term), "the terminating flags");
        mems[6] = c.buffer((long) n * Sizeof.cl_double, null, "log F");
        mems[7] = c.buffer((long) edges * Sizeof.cl_double, null, "the edge log-flows");
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    /**
     * {@return the flow: one launch per level, in increasing height, then one read-back}
     */
    public LogFlow flow() {
      int n = g.n();
      int edges = g.edges();
      double[] logF = new double[n];
      double[] edge = new double[edges];
      synchronized (c) {
        cl_kernel k = c.compiled(SOURCE, "flow_level");
        for (int l = 0; l < lv.count(); l++) {
          int offset = lv.start()[l];
          int count = lv.start()[l + 1] - offset;
          ClContext.args(k, mems[0], offset, count, mems[1], mems[2], mems[3], mems[4],
              mems[5], mems[6], mems[7]);
          long global = (long) (count + c.workGroup - 1) / c.workGroup * c.workGroup;
          clEnqueueNDRangeKernel(c.queue(), k, 1, null, new long[] {global},
              new long[] {c.workGroup}, 0, null, null);
        }
        clEnqueueReadBuffer(c.queue(), mems[6], CL_TRUE, 0, (long) n * Sizeof.cl_double,
            Pointer.to(logF), 0, null, null);
        if (edges > 0) {
          clEnqueueReadBuffer(c.queue(), mems[7], CL_TRUE, 0, (long) edges * Sizeof.cl_double,
              Pointer.to(edge), 0, null, null);
        }
        clFinish(c.queue());
      }
      return Flows.fromLogFlows(net, logF, edge);
    }

    /** Frees the device buffers (idempotent). */
    @Override
    public void close() {
      for (int i = 0; i < mems.length; i++) {
        if (mems[i] != null) {
          clReleaseMemObject(mems[i]);
          mems[i] = null;
        }
      }
    }
  }

  /**
   * {@return the bound on |log F_dev(s) - log F_cpu(s)| over all states, given the CPU's flow}
   * {@code (levels) * (8 (k + 2) u + 4 u max |log F|)} with u = 2^-53, k the largest number of
   * children of a state plus one (the exit), max over the finite log-flows (see the class comment).
   *
   * @param net the network
   * @param cpu the CPU's flow ({@code Flows.logSpace})
   */
  public static double tolerance(TabularFlowNetwork<?> net, LogFlow cpu) {
    FlowCsr g = net.csr();
    int k = 1;
    for (int s = 0; s < g.n(); s++) {
      k = Math.max(k, g.childStart()[s + 1] - g.childStart()[s] + 1);
    }
    double big = 0;
    for (double x : cpu.logStateFlow()) {
      if (Double.isFinite(x)) {
        big = Math.max(big, Math.abs(x));
      }
    }
    double u = 0x1p-53;
    return Levels.of(net).count() * (8.0 * (k + 2) * u + 4.0 * u * big);
  }
}
