package dev.fixpoint.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import org.junit.jupiter.api.Test;

class BoundTest {

  @Test
  void exactUpperBoundExplainsItsTermsAndChecksBothSides() {
    // gamma^k ||v0 - v*|| at gamma = 1/2, k = 3, ||v0 - v*|| = 4: 4/8 = 1/2.
    Bound b = Bound.upper("||v_k - v*||_inf", "gamma^k ||v_0 - v*||_inf", Rationals.of(1, 2),
        List.of(Bound.Term.of("gamma", "discount", Rationals.of(1, 2)),
            Bound.Term.of("k", "iterations", 3),
            Bound.Term.of("||v_0 - v*||_inf", "initial error", Rationals.of(4))),
        Bound.Source.derived("contraction of T*"));
    assertEquals(0.5, b.value());
    assertEquals(Rationals.of(1, 2), b.exact().get());
    assertTrue(b.holds(0.5, 0));
    assertFalse(b.holds(0.5000001, 0));
    assertTrue(b.holds(0.5000001, 1e-6));
    String text = b.explain();
    assertTrue(text.startsWith("||v_k - v*||_inf <= gamma^k ||v_0 - v*||_inf = 0.5 (exactly 1/2)"),
        text);
    assertTrue(text.contains("gamma = 0.5 (1/2)  discount"), text);
    assertTrue(text.contains("source: derived here (contraction of T*)"), text);
  }

  @Test
  void lowerAndVacuousBounds() {
    Bound lo = Bound.lower("kappa", "1", 1.0, List.empty(), Bound.Source.confirmed("X 2020"));
    assertTrue(lo.holds(1.0, 0));
    assertFalse(lo.holds(0.99, 0));
    Bound none = Bound.vacuous("||v - v*||", "gamma = 1", Bound.Source.proxy("shape only"));
    assertTrue(none.holds(1e300, 0));
    assertEquals(Double.POSITIVE_INFINITY, none.value());
    assertTrue(none.explain().contains("gamma = 1"));
    assertTrue(none.explain().contains("teaching proxy"));
  }

  @Test
  void nanIsRefusedWithTheFormula() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Bound.upper("q", "0/0", Double.NaN, List.empty(), Bound.Source.derived("x")));
    assertTrue(e.getMessage().contains("0/0"));
  }
}
