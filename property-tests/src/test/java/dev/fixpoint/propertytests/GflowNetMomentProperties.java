package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.gflownet.Loss;
import dev.fixpoint.dsl.internal.FlowCsr;
import dev.fixpoint.propertytests.GflowNetLossProperties.Case;
import dev.fixpoint.tabular.gflownet.FlowTrajectory;
import dev.fixpoint.tabular.gflownet.GfnParameters;
import dev.fixpoint.tabular.gflownet.Losses;
import dev.fixpoint.tabular.gflownet.TrajectoryMoments;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The moment DP of {@link TrajectoryMoments} against enumeration of every trajectory (spec
 * section 8, items 7, 8 and 13): E[zeta], E[zeta^2] under P_F and E[zeta] under the target; the
 * bounds ELBO &lt;= log Z &lt;= EUBO, tight at the exact solution; and the reverse-KL identity
 * E_{P_F}[grad_theta (1/2) TB] = grad_theta KL(P_F || P_B R/Z) for any log Z (Malkin et al.,
 * "GFlowNets and variational inference", ICLR 2023, Prop. 1).
 */
class GflowNetMomentProperties {

  record Enumerated(double e1, double e2, double target) {}

  static Enumerated enumerate(Case c, GfnParameters p) {
    FlowCsr g = c.net().csr();
    double[] pf = p.forward(c.net());
    GfnParameters zeroZ = p.withLogZ(0);
    double logZ = dev.fixpoint.tabular.gflownet.Flows.logPartition(c.net());
    double e1 = 0;
    double e2 = 0;
    double t = 0;
    for (FlowTrajectory tau : c.support()) {
      double prob = pf[g.exitAction(tau.last())];
      for (int e : tau.edges()) {
        prob *= pf[g.actionOfEdge(e)];
      }
      double zeta = Losses.tbResidual(c.net(), zeroZ, tau);
      e1 += prob * zeta;
      e2 += prob * zeta * zeta;
      // target probability R(x) P_B(tau|x) / Z = exp(log P_F(tau) - zeta - log Z)
      t += Math.exp(Math.log(prob) - zeta - logZ) * zeta;
    }
    return new Enumerated(e1, e2, t);
  }

  static double tol(double v) {
    return 1e-9 * Math.max(1, Math.abs(v));
  }

  @Test
  void momentDpEqualsEnumerationAndBoundsLogZ() {
    qt().withFixedSeed(921).withExamples(200)
        .forAll(QuickTheoriesGen.of(GflowNetLossProperties.cases())).checkAssert(c -> {
          TrajectoryMoments m = TrajectoryMoments.of(c.net(), c.random());
          Enumerated e = enumerate(c, c.random());
          assertEquals(e.e1(), m.meanZeta(), tol(e.e1()));
          assertEquals(e.e2(), m.secondMoment(), tol(e.e2()));
          assertEquals(e.target(), m.targetMeanZeta(), tol(e.target()));
          assertTrue(m.elbo() <= m.logZ() + 1e-12 && m.logZ() <= m.eubo() + 1e-12, m.toString());
          assertTrue(m.kl() >= -1e-12, m.toString());
          TrajectoryMoments exact = TrajectoryMoments.of(c.net(),
              GflowNetLossProperties.exact(c, Loss.tb()));
          assertEquals(exact.logZ(), exact.elbo(), 1e-10);
          assertEquals(exact.logZ(), exact.eubo(), 1e-10);
          assertEquals(0, exact.variance(), 1e-10);
        });
  }

  @Test
  void expectedTbGradientIsTheReverseKlGradient() {
    qt().withFixedSeed(922).withExamples(150)
        .forAll(QuickTheoriesGen.of(GflowNetLossProperties.cases())).checkAssert(c -> {
          GfnParameters p = c.random();
          FlowCsr g = c.net().csr();
          double[] pf = p.forward(c.net());
          double[] expected = new double[p.forwardLogits().length];
          for (FlowTrajectory tau : c.support()) {
            double prob = pf[g.exitAction(tau.last())];
            for (int e : tau.edges()) {
              prob *= pf[g.actionOfEdge(e)];
            }
            double[] grad = Losses.evaluate(Loss.tb(), c.net(), p, List.of(tau)).gradient()
                .forwardLogits();
            for (int a = 0; a < expected.length; a++) {
              expected[a] += prob * grad[a] / 2;
            }
          }
          double h = 1e-5;
          for (int a = 0; a < expected.length; a++) {
            double[] up = p.forwardLogits().clone();
            double[] down = p.forwardLogits().clone();
            up[a] += h;
            down[a] -= h;
            double klUp = TrajectoryMoments.of(c.net(), new GfnParameters(up,
                p.backwardLogits(), p.logZ(), p.logFlow(), p.edgeLogFlow())).kl();
            double klDown = TrajectoryMoments.of(c.net(), new GfnParameters(down,
                p.backwardLogits(), p.logZ(), p.logFlow(), p.edgeLogFlow())).kl();
            double fd = (klUp - klDown) / (2 * h);
            assertEquals(fd, expected[a], 1e-5 * (1 + Math.abs(fd)), "action " + a);
          }
        });
  }
}
