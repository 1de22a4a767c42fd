// Describe a small MDP with Dist and solve it exactly. A machine is "ok" or "broken". When ok,
// "run" earns 10 and breaks it with probability 1/10; "maintain" earns 6 and keeps it ok. When
// broken, "repair" costs 5 and makes it ok. Discount 9/10.
var machine = Mdp.<String, String>of(List.of("ok", "broken"),
    s -> s.equals("ok") ? List.of("run", "maintain") : List.of("repair"),
    (s, a) -> switch (a) {
      case "run" -> Dist.<Outcome<String>>builder()
          .add(Outcome.of("ok", 10), "9/10")
          .add(Outcome.of("broken", 10), "1/10")
          .build();
      case "maintain" -> Dist.dirac(Outcome.of("ok", 6));
      default -> Dist.dirac(Outcome.of("ok", -5));
    }, "9/10").withName("machine");
var solution = PolicyIteration.solveExact(machine.tabulate());
System.out.println(solution.summary());
System.out.println("policy in ok: " + solution.policy().action("ok"));
// By hand: always maintaining is worth 6 / (1 - 9/10) = 60. Running: V_ok = 10 + 9/10 (9/10 V_ok
// + 1/10 V_b) and V_b = -5 + 9/10 V_ok give V_ok = 9550/109 = 87.6..., V_b = 8050/109: run wins.
var vOk = solution.values().exactValue("ok");
var vBroken = solution.values().exactValue("broken");
System.out.println("V(ok) = " + Rationals.format(vOk) + ", V(broken) = " + Rationals.format(vBroken));
if (!vOk.equals(new BigFraction(9550, 109))) throw new AssertionError("V(ok) = " + Rationals.format(vOk));
if (!vBroken.equals(new BigFraction(8050, 109))) throw new AssertionError("V(broken) = " + Rationals.format(vBroken));
if (!solution.policy().action("ok").equals("run")) throw new AssertionError("the optimal action in ok is run");
