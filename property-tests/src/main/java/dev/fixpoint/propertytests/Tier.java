package dev.fixpoint.propertytests;

import org.apiguardian.api.API;

/** Which numbers a generated value uses: exact rationals or doubles (DESIGN.md, two tiers). */
@API(status = API.Status.EXPERIMENTAL)
public enum Tier {
  /** Probabilities, rewards and values are {@code BigFraction}s with small denominators. */
  EXACT,
  /** Probabilities, rewards and values are doubles; exact interpreters refuse such models. */
  DOUBLE
}
