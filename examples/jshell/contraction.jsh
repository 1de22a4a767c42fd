// The Bellman optimality operator T* is a gamma-contraction in the sup norm (Bellman 1957;
// Puterman 1994, Thm 6.2.3): ||T*Q1 - T*Q2|| <= gamma ||Q1 - Q2|| for all Q1, Q2. Check it on
// Gymnasium's slippery FrozenLake with gamma = 0.9 over 200 random pairs of Q-functions.
var lake = FrozenLake.fourByFour().withDiscount("9/10").tabulate();
var tStar = Operators.optimality();
var rng = RandomGeneratorFactory.of("L64X128MixRandom").create(42);
double sup(double[] a, double[] b) { double m = 0; for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; }
double worst = 0;
for (int trial = 0; trial < 200; trial++) {
  double[] q1 = rng.doubles(lake.numRows(), -10, 10).toArray();
  double[] q2 = rng.doubles(lake.numRows(), -10, 10).toArray();
  double ratio = sup(DoubleInterpreter.apply(tStar, lake, q1), DoubleInterpreter.apply(tStar, lake, q2)) / sup(q1, q2);
  worst = Math.max(worst, ratio);
}
System.out.println("largest ||T*Q1 - T*Q2|| / ||Q1 - Q2|| over 200 pairs: " + worst);
System.out.println("modulus stated by the interpreter: " + DoubleInterpreter.modulus(tStar, lake));
if (worst > 0.9 + 1e-12) throw new AssertionError("T* expanded a distance by " + worst);
if (DoubleInterpreter.modulus(tStar, lake) != 0.9) throw new AssertionError("the modulus of T* is gamma");
