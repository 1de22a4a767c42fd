package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.Forest.Action;
import dev.fixpoint.examples.Forest.Age;
import java.util.Arrays;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class ForestTest {
  // pymdptoolbox, mdptoolbox.example.forest() docstring: the arrays it prints for the defaults
  static final String[][][] DOC_P = {
      {{"0.1", "0.9", "0"}, {"0.1", "0", "0.9"}, {"0.1", "0", "0.9"}},
      {{"1", "0", "0"}, {"1", "0", "0"}, {"1", "0", "0"}}};
  static final String[][] DOC_R = {{"0", "0"}, {"0", "1"}, {"4", "2"}};

  private static final TabularMdp<Age, Action> DEFAULT = Forest.pymdptoolbox().tabulate();

  static BigFraction[][][] parse(String[][][] p) {
    BigFraction[][][] out = new BigFraction[p.length][][];
    for (int a = 0; a < p.length; a++) {
      out[a] = parse(p[a]);
    }
    return out;
  }

  static BigFraction[][] parse(String[][] r) {
    BigFraction[][] out = new BigFraction[r.length][];
    for (int s = 0; s < r.length; s++) {
      out[s] = Arrays.stream(r[s]).map(Rationals::parse).toArray(BigFraction[]::new);
    }
    return out;
  }

  @Test
  void defaultsReproduceTheToolboxsDocumentedArrays() {
    assertEquals(3, DEFAULT.numStates());
    assertEquals(2, DEFAULT.numActions());
    assertEquals(6, DEFAULT.numRows());
    assertEquals(Action.WAIT, DEFAULT.actions().value(0)); // toolbox action 0
    assertEquals(Action.CUT, DEFAULT.actions().value(1));
    BigFraction[][][] p = parse(DOC_P);
    BigFraction[][] r = parse(DOC_R);
    for (int s = 0; s < 3; s++) {
      assertFalse(DEFAULT.isTerminal(s));
      for (Action a : Action.values()) {
        Dist<Age> d = DEFAULT.transition(new Age(s), a);
        for (int t = 0; t < 3; t++) {
          assertEquals(p[a.ordinal()][s][t], d.probability(new Age(t)), "P[" + a + "][" + s + "]");
        }
        assertEquals(r[s][a.ordinal()], DEFAULT.exactExpectedReward(new Age(s), a),
            "R[" + s + "][" + a + "]");
      }
    }
    assertEquals(new BigFraction(9, 10), DEFAULT.exact().discount());
  }

  @Test
  void largerForestsGrowOneYearAndStayOldest() {
    TabularMdp<Age, Action> m = Forest.of(5, new BigFraction(7), new BigFraction(3),
        new BigFraction(1, 4)).tabulate();
    assertEquals(Dist.<Age>builder().add(new Age(0), "1/4").add(new Age(3), "3/4").build(),
        m.transition(new Age(2), Action.WAIT));
    assertEquals(Dist.<Age>builder().add(new Age(0), "1/4").add(new Age(4), "3/4").build(),
        m.transition(new Age(4), Action.WAIT));
    assertEquals(Dist.dirac(new Age(0)), m.transition(new Age(3), Action.CUT));
    assertEquals(new BigFraction(7), m.exactExpectedReward(new Age(4), Action.WAIT));
    assertEquals(BigFraction.ZERO, m.exactExpectedReward(new Age(3), Action.WAIT));
    assertEquals(new BigFraction(3), m.exactExpectedReward(new Age(4), Action.CUT));
    assertEquals(BigFraction.ONE, m.exactExpectedReward(new Age(2), Action.CUT));
    assertEquals(BigFraction.ZERO, m.exactExpectedReward(new Age(0), Action.CUT));
  }

  @Test
  void publishedOptimaAreFixedPointsOfTheOptimalityEquation() {
    // Hand-solved (policy Wait everywhere, checked by enumerating all 8 policies in fractions):
    // gamma 9/10: V* = (26.244, 29.484, 33.484) as the toolbox's PolicyIteration docstring prints;
    // gamma 24/25: V* = (74.6496, 78.1056, 82.1056).
    BigFraction[] v90 = {Rationals.parse("26.244"), Rationals.parse("29.484"),
        Rationals.parse("33.484")};
    assertArrayEquals(v90, ExactBellman.optimality(DEFAULT, v90));
    TabularMdp<Age, Action> m96 = DEFAULT.withDiscount(new BigFraction(24, 25));
    BigFraction[] v96 = {Rationals.parse("74.6496"), Rationals.parse("78.1056"),
        Rationals.parse("82.1056")};
    assertArrayEquals(v96, ExactBellman.optimality(m96, v96));
    // the toolbox's early-stopped value iteration result is not a fixed point
    BigFraction[] early = {Rationals.parse("5.93215488"), Rationals.parse("9.38815488"),
        Rationals.parse("13.38815488")};
    assertFalse(Arrays.equals(early, ExactBellman.optimality(m96, early)));
  }

  @Test
  void toolboxArraysGiveTheSameModelThroughFromArrays() {
    TabularMdp<Integer, Integer> arrays = PyMdpToolbox.fromArrays("forest arrays", parse(DOC_P),
        parse(DOC_R), new BigFraction(9, 10)).tabulate();
    assertEquals(DEFAULT.numEntries(), arrays.numEntries());
    for (int k = 0; k < DEFAULT.numEntries(); k++) {
      assertEquals(DEFAULT.next(k), arrays.next(k));
      assertEquals(DEFAULT.exact().prob()[k], arrays.exact().prob()[k]);
    }
    assertArrayEquals(DEFAULT.exact().reward(), arrays.exact().reward());
  }

  @Test
  void badParametersAreAllReported() {
    ModelException e = assertThrows(ModelException.class, () -> Forest.of(1, BigFraction.ZERO,
        new BigFraction(2), new BigFraction(11, 10)));
    assertEquals(3, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).contains("states 1"), e.problems().get(0));
    assertTrue(e.problems().get(1).contains("r1 = 0"), e.problems().get(1));
    assertTrue(e.problems().get(2).contains("p = 11/10"), e.problems().get(2));
  }
}
