package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * A tabular GFlowNet parameterisation (torchgfn's {@code Tabular} module, spec {@code gflownet.md}
 * section 1), also used for gradients: P_F(a | s) = softmax over the actions of s of {@code
 * forwardLogits} (one per forward action, the exit last); P_B(p | s) = softmax over the in-edges of
 * s of {@code backwardLogits} (one per edge); a scalar {@code logZ}; state log-flows {@code
 * logFlow} (DB, SubTB; log F~ for forward-looking DB); edge log-flows {@code edgeLogFlow} per
 * forward action (flow matching, the exit edge's entry is log F(x -&gt; s_f)). A logit of
 * -infinity masks its action. Arrays are owned by the record and not copied.
 *
 * @param forwardLogits theta_F per forward action
 * @param backwardLogits theta_B per edge
 * @param logZ log Z
 * @param logFlow log F(s) per state
 * @param edgeLogFlow log F(s -&gt; a) per forward action
 */
@API(status = API.Status.EXPERIMENTAL)
public record GfnParameters(double[] forwardLogits, double[] backwardLogits, double logZ,
    double[] logFlow, double[] edgeLogFlow) {

  /**
   * {@return all-zero parameters: uniform P_F and P_B, log Z = 0, unit flows (torchgfn's
   * initialisation)}
   * @param net the network
   */
  public static GfnParameters zeros(TabularFlowNetwork<?> net) {
    FlowCsr g = net.csr();
    return new GfnParameters(new double[g.actions()], new double[g.edges()], 0,
        new double[g.n()], new double[g.actions()]);
  }

  /**
   * The exact solution as parameters: logits log P_F of the flow, log P_B of the table, log Z,
   * log F(s) and edge log-flows (log F(s -&gt; c), and log R(x) on exit edges). Every balance
   * loss is 0 at these parameters where the flow is positive.
   *
   * @param net the network
   * @param backward the backward table the flow was computed with
   * @param flow the log-space flow
   * @return the parameters
   */
  public static GfnParameters of(TabularFlowNetwork<?> net, BackwardTable backward,
      LogFlow flow) {
    FlowCsr g = net.csr();
    double[] edge = new double[g.actions()];
    for (int e = 0; e < g.edges(); e++) {
      edge[g.actionOfEdge(e)] = flow.logEdgeFlow()[e];
    }
    for (int s = 0; s < g.n(); s++) {
      if (g.terminating()[s]) {
        edge[g.exitAction(s)] = g.logReward()[s];
      }
    }
    return new GfnParameters(flow.logForward().clone(), backward.logProbabilities(), flow.logZ(),
        flow.logStateFlow().clone(), edge);
  }

  /** {@return a deep copy} */
  public GfnParameters copy() {
    return new GfnParameters(forwardLogits.clone(), backwardLogits.clone(), logZ,
        logFlow.clone(), edgeLogFlow.clone());
  }

  /**
   * {@return a copy with another log Z}
   * @param value log Z
   */
  public GfnParameters withLogZ(double value) {
    return new GfnParameters(forwardLogits, backwardLogits, value, logFlow, edgeLogFlow);
  }

  /**
   * {@return the forward policy P_F(a | s) per forward action}
   * @param net the network
   */
  public double[] forward(TabularFlowNetwork<?> net) {
    return ForwardPush.softmax(net, forwardLogits);
  }

  /**
   * {@return the sum over all components of a[i] * b[i] (the Euclidean inner product, for
   * directional derivatives)}
   * @param other parameters of the same shape
   */
  public double dot(GfnParameters other) {
    double s = logZ * other.logZ;
    s += dot(forwardLogits, other.forwardLogits);
    s += dot(backwardLogits, other.backwardLogits);
    s += dot(logFlow, other.logFlow);
    s += dot(edgeLogFlow, other.edgeLogFlow);
    return s;
  }

  /**
   * {@return this + t * direction, componentwise}
   * @param t the step
   * @param direction parameters of the same shape
   */
  public GfnParameters plus(double t, GfnParameters direction) {
    return new GfnParameters(axpy(forwardLogits, t, direction.forwardLogits),
        axpy(backwardLogits, t, direction.backwardLogits), logZ + t * direction.logZ,
        axpy(logFlow, t, direction.logFlow), axpy(edgeLogFlow, t, direction.edgeLogFlow));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != 0 && b[i] != 0) {
        s += a[i] * b[i];
      }
    }
    return s;
  }

  private static double[] axpy(double[] a, double t, double[] b) {
    double[] out = Arrays.copyOf(a, a.length);
    for (int i = 0; i < a.length; i++) {
      if (b[i] != 0) {
        out[i] += t * b[i];
      }
    }
    return out;
  }
}
