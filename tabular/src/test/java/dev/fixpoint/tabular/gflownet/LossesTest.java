package dev.fixpoint.tabular.gflownet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.Loss;
import dev.fixpoint.dsl.gflownet.Regression;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossesTest {

  @Test
  void trajectoryBalanceOnTheDiamondByHand() {
    // Zero parameters: P_F(b|a) = 1/2, P_F(exit|b) = 1/2, P_B(a|b) = 1, log Z = 0, R(b) = 1.
    // tau = a -> b -> exit: r = 0 + log(1/4) - 0 - log 1 = -log 4; TB = (log 4)^2,
    // dTB/dlogZ = 2r = -2 log 4; dTB/dtheta_F[a, b] = 2r (1 - 1/2) = -log 4,
    // dTB/dtheta_F[a, c] = 2r (0 - 1/2) = log 4.
    TabularFlowNetwork<String> net = FlowsTest.diamond();
    GfnParameters zero = GfnParameters.zeros(net);
    FlowTrajectory t = FlowTrajectory.of(net, 0, net.indexOf("b"));
    LossValue v = Losses.evaluate(Loss.tb(), net, zero, List.of(t));
    double log4 = Math.log(4);
    assertEquals(log4 * log4, v.value(), 1e-15);
    assertEquals(-2 * log4, v.gradient().logZ(), 1e-15);
    assertEquals(-log4, v.gradient().forwardLogits()[0], 1e-15);
    assertEquals(log4, v.gradient().forwardLogits()[1], 1e-15);
    assertEquals(1, v.terms());
  }

  @Test
  void detailedBalanceAndShiftedCoshOnTheDiamondByHand() {
    // Zero parameters, tau = a -> c -> d -> exit (R(d) = 2): transitions
    // a->c: r = log F(a) + log P_F(c|a) - log F(c) - log P_B(a|c) = 0 - log 2 - 0 - 0 = -log 2;
    // c->d: r = 0 + log 1 - 0 - log P_B(c|d) = log 2; exit at d: r = 0 + log 1 - log 2 = -log 2.
    // DB = mean of three squares = (log 2)^2. Shifted cosh: g(+-log 2) = 2 + 1/2 - 2 = 1/2.
    TabularFlowNetwork<String> net = FlowsTest.diamond();
    GfnParameters zero = GfnParameters.zeros(net);
    FlowTrajectory t = FlowTrajectory.of(net, 0, net.indexOf("c"), net.indexOf("d"));
    double l2 = Math.log(2);
    assertEquals(l2 * l2, Losses.evaluate(Loss.db(), net, zero, List.of(t)).value(), 1e-15);
    assertEquals(0.5, Losses.evaluate(Loss.db().withRegression(Regression.shiftedCosh()), net,
        zero, List.of(t)).value(), 1e-15);
    // SubTB geometric-within, lambda = 0.9, n = 3: D_3 = 3 + 2(0.9) + 0.81 = 5.61; pieces of
    // length 1 weigh 1/5.61, length 2 0.9/5.61, length 3 0.81/5.61 (spec: 100/561, 30/187,
    // 27/187). Residuals: (0,1) -log 2, (1,2) log 2, (2,3) -log 2, (0,2) 0, (1,3) 0, (0,3) -log 2
    // (TB with log Z = log F(a) = 0). SubTB = (3 + 0.81)/5.61 (log 2)^2.
    assertEquals(3.81 / 5.61 * l2 * l2,
        Losses.evaluate(Loss.subTb(), net, zero, List.of(t)).value(), 1e-15);
  }

  @Test
  void lossesNeedingRewardsEverywhereNameTheState() {
    TabularFlowNetwork<String> net = FlowsTest.diamond();
    FlowTrajectory t = FlowTrajectory.of(net, 0, net.indexOf("b"));
    ModelException e = assertThrows(ModelException.class, () -> Losses.evaluate(
        Loss.modifiedDb(), net, GfnParameters.zeros(net), List.of(t)));
    assertTrue(e.getMessage().contains("state a is not terminating"), e.getMessage());
    assertThrows(ModelException.class, () -> Regression.linex(0));
  }
}
