package dev.fixpoint.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class DistTest {
  private static BigFraction q(int p, int r) {
    return new BigFraction(p, r);
  }

  @Test
  void twoDiceSumIsTriangular() {
    Dist<Integer> die = Dist.uniform(1, 2, 3, 4, 5, 6);
    Dist<Integer> sum = die.flatMap(a -> die.map(b -> a + b));
    assertEquals(q(1, 6), sum.probability(7));
    assertEquals(q(1, 36), sum.probability(2));
    assertEquals(BigFraction.ZERO, sum.probability(13));
    assertEquals(11, sum.size());
    assertEquals(new BigFraction(7), sum.expectExact(x -> new BigFraction(x)));
    assertTrue(sum.isExact());
  }

  @Test
  void conditioningIsBayesRule() {
    // P(sum = 8 | first die even): pairs (2,6),(4,4),(6,2) of 18 -> 1/6
    Dist<int[]> pair = Dist.uniform(1, 2, 3, 4, 5, 6)
        .flatMap(a -> Dist.uniform(1, 2, 3, 4, 5, 6).map(b -> new int[] {a, b}));
    Dist<Integer> sum = Dist.uniform(1, 2, 3, 4, 5, 6)
        .flatMap(a -> Dist.uniform(1, 2, 3, 4, 5, 6).map(b -> 10 * a + b))
        .given(x -> (x / 10) % 2 == 0)
        .map(x -> x / 10 + x % 10);
    assertEquals(q(1, 6), sum.probability(8));
    assertEquals(36, pair.size()); // arrays have identity equality: 36 distinct outcomes
    assertThrows(ModelException.class, () -> sum.given(x -> x > 100));
  }

  @Test
  void repeatedOutcomesAddUp() {
    Dist<String> d = Dist.uniform("a", "b", "a");
    assertEquals(q(2, 3), d.probability("a"));
    assertEquals(List.of("a", "b"), d.support());
  }

  @Test
  void bernoulliAndBuilder() {
    assertEquals(q(2, 5), Dist.bernoulli("0.4").probability(true));
    Dist<String> d = Dist.<String>builder().add("x", "1/3").add("y", 2, 3).build();
    assertEquals(q(1, 3), d.probability("x"));
    assertEquals("{x: 1/3, y: 2/3}", d.toString());
  }

  @Test
  void exactWeightsMustSumToOne() {
    Map<String, Integer> w = new LinkedHashMap<>();
    w.put("a", 1);
    w.put("b", 1);
    ModelException e = assertThrows(ModelException.class, () -> Dist.of(w));
    assertEquals("probabilities sum to 2, expected 1", e.getMessage());
    assertEquals(q(1, 2), Dist.normalized(w).probability("a"));
  }

  @Test
  void negativeWeightIsRejectedNamingTheOutcome() {
    ModelException e = assertThrows(ModelException.class,
        () -> Dist.ofExact(List.of("a", "b"), new BigFraction[] {q(3, 2), q(-1, 2)}));
    assertEquals("outcome b: probability -1/2 is negative", e.getMessage());
  }

  @Test
  void doubleWeightsAreInexactAndToleranceChecked() {
    Map<String, Double> w = new LinkedHashMap<>();
    w.put("a", 0.1);
    w.put("b", 0.2);
    w.put("c", 0.7);
    Dist<String> d = Dist.of(w);
    assertFalse(d.isExact());
    assertEquals(0.2, d.probabilityAsDouble("b"), 1e-15);
    assertThrows(InexactModelException.class, () -> d.probability("a"));
    w.put("c", 0.6);
    assertThrows(ModelException.class, () -> Dist.of(w));
    assertThrows(ModelException.class,
        () -> Dist.ofDoubles(List.of("a"), new double[] {Double.NaN}));
    // mixing tiers gives an inexact result
    assertFalse(Dist.uniform(1, 2).flatMap(x -> Dist.bernoulli(0.5)).isExact());
  }

  @Test
  void samplingIsReproducibleAndFollowsTheWeights() {
    Dist<String> d = Dist.<String>builder().add("a", "1/4").add("b", "3/4").build();
    SplittableRandom r1 = new SplittableRandom(7);
    SplittableRandom r2 = new SplittableRandom(7);
    int as = 0;
    for (int i = 0; i < 40_000; i++) {
      String x = d.sample(r1);
      assertEquals(x, d.sample(r2));
      as += x.equals("a") ? 1 : 0;
    }
    // binomial(40000, 1/4): sd ~ 87; 6 sd band
    assertEquals(10_000, as, 520);
  }

  @Test
  void equalityIgnoresOrder() {
    assertEquals(Dist.uniform("a", "b"), Dist.uniform("b", "a"));
    assertEquals(Dist.uniform("a", "b").hashCode(), Dist.uniform("b", "a").hashCode());
  }
}
