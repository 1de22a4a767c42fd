package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.Loss;
import dev.fixpoint.dsl.gflownet.Regression;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Value and exact gradient of every {@link Loss} on a batch of complete trajectories under a
 * tabular {@link GfnParameters} (spec {@code gflownet.md} section 2, torchgfn's reductions). Each
 * loss is a weighted sum of g(r) over residuals r that are linear in log-probabilities, log-flows
 * and log Z, so d loss = sum w g'(r) dr; log-probabilities are log-softmaxes, d log P_F(a|s) /
 * d theta_F[s, b] = 1[a = b] - P_F(b|s) (likewise for P_B over the in-edges of a state), and flow
 * matching's log-sum-exps differentiate to softmax weights. One pass over the batch plus O(|S| +
 * |E|) for the softmaxes; SubTB is O(n^3) per trajectory of length n.
 *
 * <p>Where a loss needs a reward on every state (forward-looking and modified DB) every state of
 * the network must be terminating, otherwise a {@link ModelException} names the first state that
 * is not. Batches must be non-empty; each trajectory must belong to the network.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Losses {
  private Losses() {}

  /**
   * {@return the loss of a batch and its gradient}
   * @param loss the objective
   * @param net the network
   * @param params the parameters
   * @param batch complete trajectories, at least one
   */
  public static LossValue evaluate(Loss loss, TabularFlowNetwork<?> net, GfnParameters params,
      List<FlowTrajectory> batch) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    Kernel k = new Kernel(net, params, loss.regression());
    int terms = switch (loss) {
      case Loss.TrajectoryBalance tb -> k.tb(batch);
      case Loss.DetailedBalance db -> k.db(batch, false);
      case Loss.ForwardLookingDb fl -> {
        k.requireAllTerminating("forward-looking DB");
        yield k.db(batch, true);
      }
      case Loss.ModifiedDb m -> {
        k.requireAllTerminating("modified DB");
        yield k.mdb(batch);
      }
      case Loss.ZVar z -> k.zvar(batch);
      case Loss.SubTrajectoryBalance s -> k.subTb(batch, s.lambda(), s.weighting());
      case Loss.FlowMatching fm -> k.fm(batch, fm.alpha());
    };
    return new LossValue(k.value, k.gradient(), terms);
  }

  /**
   * {@return the residual log Z + log P_F(tau) - log P_B(tau | x) - log R(x) of trajectory
   * balance}
   * @param net the network
   * @param params the parameters
   * @param t a trajectory
   */
  public static double tbResidual(TabularFlowNetwork<?> net, GfnParameters params,
      FlowTrajectory t) {
    Kernel k = new Kernel(net, params, Regression.squared());
    return params.logZ() + k.zeta(t);
  }

  /**
   * The SubTB weight of sub-trajectory (i, j) of a trajectory of length n (exit included) in a
   * batch, as torchgfn defines each weighting (spec {@code gflownet.md} section 2.4).
   *
   * @param weighting the weighting
   * @param lambda lambda &gt; 0
   * @param n the trajectory's length
   * @param i start, 0 &lt;= i &lt; j
   * @param j end, j &lt;= n
   * @param trajectories N, the batch size
   * @param longest L, the longest length in the batch
   * @param pieces sum over the batch of n(n+1)/2
   * @param steps sum over the batch of n
   * @param ofThisLength the number of sub-trajectories of length j - i in the batch
   * @return the weight (0 for pieces the weighting leaves out)
   */
  public static double weight(Loss.Weighting weighting, double lambda, int n, int i, int j,
      int trajectories, int longest, long pieces, long steps, long ofThisLength) {
    int l = j - i;
    return switch (weighting) {
      case GEOMETRIC_WITHIN -> {
        double within = 0;
        for (int k = 0; k < n; k++) {
          within += (n - k) * Math.pow(lambda, k);
        }
        yield Math.pow(lambda, l - 1) / (trajectories * within);
      }
      case GEOMETRIC -> (lambda == 1 ? 1.0 / longest
          : Math.pow(lambda, l - 1) * (1 - lambda) / (1 - Math.pow(lambda, longest)))
          / ofThisLength;
      case EQUAL -> 1.0 / pieces;
      case EQUAL_WITHIN -> 2.0 / ((double) n * (n + 1) * trajectories);
      case TB -> i == 0 && j == n ? 1.0 / trajectories : 0;
      case DB -> l == 1 ? 1.0 / steps : 0;
      case MODIFIED_DB -> l == 1 ? 1.0 / ((double) n * trajectories) : 0;
    };
  }

  /** Scratch state of one evaluation: log-probabilities and gradient accumulators. */
  private static final class Kernel {
    final FlowCsr g;
    final TabularFlowNetwork<?> net;
    final GfnParameters p;
    final Regression reg;
    final double[] logPf;
    final double[] pf;
    final double[] logPb;
    final double[] pb;
    final double[] gF;
    final double[] gB;
    final double[] gLogF;
    final double[] gEdge;
    double gZ;
    double value;

    Kernel(TabularFlowNetwork<?> net, GfnParameters p, Regression reg) {
      this.net = net;
      this.g = net.csr();
      this.p = p;
      this.reg = reg;
      int a = g.actions();
      int e = g.edges();
      if (p.forwardLogits().length != a || p.backwardLogits().length != e
          || p.logFlow().length != g.n() || p.edgeLogFlow().length != a) {
        throw new IllegalArgumentException("parameters do not fit the network's " + g.n()
            + " states, " + e + " edges and " + a + " actions");
      }
      logPf = new double[a];
      pf = new double[a];
      logPb = new double[e];
      pb = new double[e];
      gF = new double[a];
      gB = new double[e];
      gLogF = new double[g.n()];
      gEdge = new double[a];
      int[] as = g.actionStart();
      for (int s = 0; s < g.n(); s++) {
        logSoftmax(p.forwardLogits(), null, as[s], as[s + 1], logPf, pf, s);
      }
      int[] ps = g.parentStart();
      for (int s = 1; s < g.n(); s++) {
        logSoftmax(p.backwardLogits(), g.parentEdge(), ps[s], ps[s + 1], logPb, pb, s);
      }
    }

    private void logSoftmax(double[] logits, int[] index, int from, int to, double[] logOut,
        double[] out, int s) {
      double m = Double.NEGATIVE_INFINITY;
      for (int k = from; k < to; k++) {
        double v = logits[index == null ? k : index[k]];
        if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
          throw new ModelException("state " + net.state(s) + ": logit " + v + " is not finite");
        }
        m = Math.max(m, v);
      }
      if (m == Double.NEGATIVE_INFINITY) {
        throw new ModelException("state " + net.state(s) + ": every action is masked");
      }
      double sum = 0;
      for (int k = from; k < to; k++) {
        sum += Math.exp(logits[index == null ? k : index[k]] - m);
      }
      double lse = m + Math.log(sum);
      for (int k = from; k < to; k++) {
        int i = index == null ? k : index[k];
        logOut[i] = logits[i] - lse;
        out[i] = Math.exp(logOut[i]);
      }
    }

    void requireAllTerminating(String what) {
      for (int s = 0; s < g.n(); s++) {
        if (!g.terminating()[s]) {
          throw new ModelException(what + ": state " + net.state(s)
              + " is not terminating, but this loss needs a reward on every state");
        }
      }
    }

    /** zeta = log P_F(tau) - log P_B(tau|x) - log R(x). */
    double zeta(FlowTrajectory t) {
      double z = logPf[g.exitAction(t.last())] - g.logReward()[t.last()];
      for (int e : t.edges()) {
        z += logPf[g.actionOfEdge(e)] - logPb[e];
      }
      return z;
    }

    void addZeta(FlowTrajectory t, double c) {
      gF[g.exitAction(t.last())] += c;
      for (int e : t.edges()) {
        gF[g.actionOfEdge(e)] += c;
        gB[e] -= c;
      }
    }

    int tb(List<FlowTrajectory> batch) {
      double w = 1.0 / batch.size();
      for (FlowTrajectory t : batch) {
        double r = p.logZ() + zeta(t);
        value += w * reg.value(r);
        double c = w * reg.derivative(r);
        gZ += c;
        addZeta(t, c);
      }
      return batch.size();
    }

    int zvar(List<FlowTrajectory> batch) {
      int n = batch.size();
      double[] z = new double[n];
      double mean = 0;
      for (int i = 0; i < n; i++) {
        z[i] = zeta(batch.get(i));
        mean += z[i] / n;
      }
      double[] d = new double[n];
      double meanD = 0;
      for (int i = 0; i < n; i++) {
        double r = z[i] - mean;
        value += reg.value(r) / n;
        d[i] = reg.derivative(r) / n;
        meanD += d[i] / n;
      }
      for (int i = 0; i < n; i++) {
        addZeta(batch.get(i), d[i] - meanD);
      }
      return n;
    }

    double logR(int s, boolean forwardLooking) {
      return forwardLooking ? g.logReward()[s] : 0;
    }

    int db(List<FlowTrajectory> batch, boolean forwardLooking) {
      int count = 0;
      for (FlowTrajectory t : batch) {
        count += t.length();
      }
      double w = 1.0 / count;
      double[] lf = p.logFlow();
      for (FlowTrajectory t : batch) {
        int[] s = t.states();
        for (int i = 0; i < t.edges().length; i++) {
          int e = t.edges()[i];
          int a = g.actionOfEdge(e);
          double r = lf[s[i]] + logR(s[i], forwardLooking) + logPf[a] - lf[s[i + 1]]
              - logR(s[i + 1], forwardLooking) - logPb[e];
          value += w * reg.value(r);
          double c = w * reg.derivative(r);
          gLogF[s[i]] += c;
          gF[a] += c;
          gLogF[s[i + 1]] -= c;
          gB[e] -= c;
        }
        int x = t.last();
        int exit = g.exitAction(x);
        // forward-looking: log F~(x) + log R(x) + log P_F(exit|x) - log R(x)
        double r = lf[x] + logPf[exit] - (forwardLooking ? 0 : g.logReward()[x]);
        value += w * reg.value(r);
        double c = w * reg.derivative(r);
        gLogF[x] += c;
        gF[exit] += c;
      }
      return count;
    }

    int mdb(List<FlowTrajectory> batch) {
      int count = 0;
      for (FlowTrajectory t : batch) {
        count += t.edges().length;
      }
      if (count == 0) {
        return 0;
      }
      double w = 1.0 / count;
      double[] lr = g.logReward();
      for (FlowTrajectory t : batch) {
        int[] s = t.states();
        for (int i = 0; i < t.edges().length; i++) {
          int e = t.edges()[i];
          int a = g.actionOfEdge(e);
          int x0 = g.exitAction(s[i]);
          int x1 = g.exitAction(s[i + 1]);
          double r = lr[s[i]] + logPf[a] + logPf[x1] - lr[s[i + 1]] - logPb[e] - logPf[x0];
          value += w * reg.value(r);
          double c = w * reg.derivative(r);
          gF[a] += c;
          gF[x1] += c;
          gB[e] -= c;
          gF[x0] -= c;
        }
      }
      return count;
    }

    int subTb(List<FlowTrajectory> batch, double lambda, Loss.Weighting weighting) {
      int nTraj = batch.size();
      int longest = 0;
      long pieces = 0;
      long steps = 0;
      for (FlowTrajectory t : batch) {
        longest = Math.max(longest, t.length());
        pieces += (long) t.length() * (t.length() + 1) / 2;
        steps += t.length();
      }
      long[] perLength = new long[longest + 1];
      for (FlowTrajectory t : batch) {
        for (int l = 1; l <= t.length(); l++) {
          perLength[l] += t.length() - l + 1;
        }
      }
      int terms = 0;
      double[] lf = p.logFlow();
      for (FlowTrajectory t : batch) {
        int n = t.length();
        int[] s = t.states();
        int[] act = new int[n];
        for (int k = 0; k < n - 1; k++) {
          act[k] = g.actionOfEdge(t.edges()[k]);
        }
        act[n - 1] = g.exitAction(t.last());
        double[] pfSum = new double[n + 1];
        for (int k = 0; k < n; k++) {
          pfSum[k + 1] = pfSum[k] + logPf[act[k]];
        }
        double[] pbSum = new double[n];
        for (int k = 0; k < n - 1; k++) {
          pbSum[k + 1] = pbSum[k] + logPb[t.edges()[k]];
        }
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j <= n; j++) {
            int l = j - i;
            double w = weight(weighting, lambda, n, i, j, nTraj, longest, pieces, steps,
                perLength[l]);
            if (w == 0) {
              continue;
            }
            terms++;
            int jb = Math.min(j, n - 1);
            double end = j < n ? lf[s[j]] : g.logReward()[t.last()];
            double r = lf[s[i]] + pfSum[j] - pfSum[i] - end - (jb > i ? pbSum[jb] - pbSum[i] : 0);
            value += w * reg.value(r);
            double c = w * reg.derivative(r);
            gLogF[s[i]] += c;
            for (int k = i; k < j; k++) {
              gF[act[k]] += c;
            }
            if (j < n) {
              gLogF[s[j]] -= c;
            }
            for (int k = i; k < jb; k++) {
              gB[t.edges()[k]] -= c;
            }
          }
        }
      }
      return terms;
    }

    int fm(List<FlowTrajectory> batch, double alpha) {
      double[] phi = p.edgeLogFlow();
      int visited = 0;
      for (FlowTrajectory t : batch) {
        visited += t.length() - 1;
      }
      int[] as = g.actionStart();
      int[] ps = g.parentStart();
      int[] pe = g.parentEdge();
      if (visited > 0) {
        double w = 1.0 / visited;
        for (FlowTrajectory t : batch) {
          int[] s = t.states();
          for (int i = 1; i < s.length; i++) {
            int v = s[i];
            double in = Double.NEGATIVE_INFINITY;
            for (int k = ps[v]; k < ps[v + 1]; k++) {
              in = Math.max(in, phi[g.actionOfEdge(pe[k])]);
            }
            double inSum = 0;
            for (int k = ps[v]; k < ps[v + 1]; k++) {
              inSum += Math.exp(phi[g.actionOfEdge(pe[k])] - in);
            }
            double out = Double.NEGATIVE_INFINITY;
            for (int a = as[v]; a < as[v + 1]; a++) {
              out = Math.max(out, phi[a]);
            }
            double outSum = 0;
            for (int a = as[v]; a < as[v + 1]; a++) {
              outSum += Math.exp(phi[a] - out);
            }
            double lseIn = in + Math.log(inSum);
            double lseOut = out + Math.log(outSum);
            double r = lseIn - lseOut;
            value += w * reg.value(r);
            double c = w * reg.derivative(r);
            for (int k = ps[v]; k < ps[v + 1]; k++) {
              int a = g.actionOfEdge(pe[k]);
              gEdge[a] += c * Math.exp(phi[a] - lseIn);
            }
            for (int a = as[v]; a < as[v + 1]; a++) {
              gEdge[a] -= c * Math.exp(phi[a] - lseOut);
            }
          }
        }
      }
      double w = alpha / batch.size();
      for (FlowTrajectory t : batch) {
        int exit = g.exitAction(t.last());
        double r = phi[exit] - g.logReward()[t.last()];
        value += w * reg.value(r);
        gEdge[exit] += w * reg.derivative(r);
      }
      return visited + batch.size();
    }

    GfnParameters gradient() {
      double[] dF = new double[gF.length];
      int[] as = g.actionStart();
      for (int s = 0; s < g.n(); s++) {
        double sum = 0;
        for (int a = as[s]; a < as[s + 1]; a++) {
          sum += gF[a];
        }
        if (sum == 0 && allZero(gF, as[s], as[s + 1])) {
          continue;
        }
        for (int a = as[s]; a < as[s + 1]; a++) {
          dF[a] = gF[a] - pf[a] * sum;
        }
      }
      double[] dB = new double[gB.length];
      int[] ps = g.parentStart();
      int[] pe = g.parentEdge();
      for (int s = 1; s < g.n(); s++) {
        double sum = 0;
        for (int k = ps[s]; k < ps[s + 1]; k++) {
          sum += gB[pe[k]];
        }
        if (sum == 0) {
          boolean zero = true;
          for (int k = ps[s]; k < ps[s + 1]; k++) {
            zero &= gB[pe[k]] == 0;
          }
          if (zero) {
            continue;
          }
        }
        for (int k = ps[s]; k < ps[s + 1]; k++) {
          dB[pe[k]] = gB[pe[k]] - pb[pe[k]] * sum;
        }
      }
      return new GfnParameters(dF, dB, gZ, gLogF, gEdge);
    }

    private static boolean allZero(double[] v, int from, int to) {
      for (int i = from; i < to; i++) {
        if (v[i] != 0) {
          return false;
        }
      }
      return true;
    }
  }
}
