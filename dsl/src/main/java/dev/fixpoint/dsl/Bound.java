package dev.fixpoint.dsl;

import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * A bound computed from a model: a value that keeps its terms and can explain itself.
 *
 * <p>DESIGN core idea 7, "theory is computed, not quoted": a rate, a concentrability coefficient
 * or an error bound is not a number pulled from a paper but a {@code Bound} whose {@link #terms()}
 * are the factors it was computed from (gamma, a norm, a coefficient...), each with its value, and
 * whose {@link #source()} says where the inequality comes from and how far it is trusted.
 *
 * <ul>
 *   <li>{@link Upper}: {@code quantity <= value};
 *   <li>{@link Lower}: {@code quantity >= value};
 *   <li>{@link Vacuous}: no finite bound holds here (gamma = 1, an infinite coefficient, a
 *       violated assumption); the reason says which.
 * </ul>
 *
 * <p>Property tests compare every bound with the exact quantity it bounds ({@link #holds}).
 * Values are doubles; when every term is rational the exact value is kept as well
 * ({@link #exact()}).
 *
 * <pre>{@code
 * Bound b = Bound.upper("V*(rho) - V^{pi_k}(rho)", "1/((1-gamma) k eta) + ...", value,
 *     List.of(Bound.Term.of("gamma", "discount", 0.9), Bound.Term.of("k", "iteration", 10)),
 *     Bound.Source.confirmed("Xiao 2022, Theorem 8"));
 * System.out.println(b.explain());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface Bound {

  /** {@return what is bounded, in the notation of the spec, e.g. "V*(rho) - V^{pi_k}(rho)"} */
  String quantity();

  /** {@return where the inequality comes from} */
  Source source();

  /** {@return the terms (factors) the bound was computed from; empty for a vacuous bound} */
  List<Term> terms();

  /** {@return the bound's value; +infinity (upper) or -infinity (lower) when vacuous} */
  double value();

  /** {@return the exact value, when every term was rational} */
  Option<BigFraction> exact();

  /**
   * Checks the bound against the actual value of its quantity.
   *
   * @param actual the exact (or trusted) value of {@link #quantity()}
   * @param tolerance slack allowed for rounding (0 for exact comparisons)
   * @return whether {@code actual <= value + tolerance} (upper), {@code actual >= value -
   *     tolerance} (lower), or true (vacuous)
   */
  boolean holds(double actual, double tolerance);

  /** {@return several lines: the inequality, its formula, each term with its value, the source} */
  String explain();

  /**
   * An upper bound {@code quantity <= value}.
   *
   * @param quantity what is bounded
   * @param formula the right-hand side in symbols, e.g. "gamma^k (1 + 2/(1-gamma))"
   * @param value its value
   * @param exact its exact value when rational
   * @param terms the factors with their values
   * @param source where the inequality comes from
   */
  record Upper(String quantity, String formula, double value, Option<BigFraction> exact,
      List<Term> terms, Source source) implements Bound {
    /** Checks the components. */
    public Upper {
      checkCommon(quantity, formula, value, exact, terms, source);
    }

    @Override
    public boolean holds(double actual, double tolerance) {
      return actual <= value + tolerance;
    }

    @Override
    public String explain() {
      return render(quantity + " <= " + formula, value, exact, terms, source);
    }
  }

  /**
   * A lower bound {@code quantity >= value}.
   *
   * @param quantity what is bounded
   * @param formula the right-hand side in symbols
   * @param value its value
   * @param exact its exact value when rational
   * @param terms the factors with their values
   * @param source where the inequality comes from
   */
  record Lower(String quantity, String formula, double value, Option<BigFraction> exact,
      List<Term> terms, Source source) implements Bound {
    /** Checks the components. */
    public Lower {
      checkCommon(quantity, formula, value, exact, terms, source);
    }

    @Override
    public boolean holds(double actual, double tolerance) {
      return actual >= value - tolerance;
    }

    @Override
    public String explain() {
      return render(quantity + " >= " + formula, value, exact, terms, source);
    }
  }

  /**
   * No finite bound holds.
   *
   * @param quantity what would have been bounded
   * @param reason why no bound holds (e.g. "gamma = 1: 1/(1-gamma) is infinite")
   * @param source the inequality that does not apply
   */
  record Vacuous(String quantity, String reason, Source source) implements Bound {
    /** Checks the components. */
    public Vacuous {
      Objects.requireNonNull(quantity, "quantity");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(source, "source");
    }

    @Override
    public List<Term> terms() {
      return List.empty();
    }

    @Override
    public double value() {
      return Double.POSITIVE_INFINITY;
    }

    @Override
    public Option<BigFraction> exact() {
      return Option.none();
    }

    @Override
    public boolean holds(double actual, double tolerance) {
      return true;
    }

    @Override
    public String explain() {
      return "no bound on " + quantity + ": " + reason + "\n  source: " + source.describe();
    }
  }

  /**
   * One factor of a bound.
   *
   * @param symbol its symbol, e.g. "gamma", "||Z||_inf", "C_pi"
   * @param meaning what it is, in words
   * @param value its value
   * @param exact its exact value when rational
   */
  record Term(String symbol, String meaning, double value, Option<BigFraction> exact) {
    /** Checks the components. */
    public Term {
      Objects.requireNonNull(symbol, "symbol");
      Objects.requireNonNull(meaning, "meaning");
      Objects.requireNonNull(exact, "exact");
      if (Double.isNaN(value)) {
        throw new IllegalArgumentException("term " + symbol + " is NaN");
      }
    }

    /**
     * A double-valued term.
     *
     * @param symbol its symbol
     * @param meaning what it is
     * @param value its value
     * @return the term
     */
    public static Term of(String symbol, String meaning, double value) {
      return new Term(symbol, meaning, value, Option.none());
    }

    /**
     * An exact term (its double value is the correctly rounded one).
     *
     * @param symbol its symbol
     * @param meaning what it is
     * @param value its exact value
     * @return the term
     */
    public static Term of(String symbol, String meaning, BigFraction value) {
      return new Term(symbol, meaning, Rationals.toDouble(value), Option.some(value));
    }
  }

  /** Where an inequality comes from, and how far it is trusted. */
  sealed interface Source {
    /** {@return one line: the kind of source and the reference} */
    String describe();

    /**
     * Checked against the paper's own statement.
     *
     * @param citation author, year, theorem or equation
     */
    record Confirmed(String citation) implements Source {
      @Override
      public String describe() {
        return "confirmed from " + citation;
      }
    }

    /**
     * Derived in this project (the spec or a docs page gives the derivation).
     *
     * @param where where the derivation is written down
     */
    record Derived(String where) implements Source {
      @Override
      public String describe() {
        return "derived here (" + where + ")";
      }
    }

    /**
     * A teaching proxy: the shape of a published bound whose exact constants were not confirmed.
     *
     * @param why what is known and what is not
     */
    record Proxy(String why) implements Source {
      @Override
      public String describe() {
        return "teaching proxy, constants not confirmed: " + why;
      }
    }

    /**
     * {@return a confirmed source}
     * @param citation author, year, theorem
     */
    static Source confirmed(String citation) {
      return new Confirmed(citation);
    }

    /**
     * {@return a derived source}
     * @param where where the derivation is written
     */
    static Source derived(String where) {
      return new Derived(where);
    }

    /**
     * {@return a teaching-proxy source}
     * @param why what is and is not known
     */
    static Source proxy(String why) {
      return new Proxy(why);
    }
  }

  /**
   * An upper bound with a double value.
   *
   * @param quantity what is bounded
   * @param formula the right-hand side in symbols
   * @param value its value
   * @param terms the factors
   * @param source where it comes from
   * @return the bound
   */
  static Bound upper(String quantity, String formula, double value, List<Term> terms,
      Source source) {
    return new Upper(quantity, formula, value, Option.none(), terms, source);
  }

  /**
   * An upper bound with an exact value.
   *
   * @param quantity what is bounded
   * @param formula the right-hand side in symbols
   * @param value its exact value
   * @param terms the factors
   * @param source where it comes from
   * @return the bound
   */
  static Bound upper(String quantity, String formula, BigFraction value, List<Term> terms,
      Source source) {
    return new Upper(quantity, formula, Rationals.toDouble(value), Option.some(value), terms,
        source);
  }

  /**
   * A lower bound with a double value.
   *
   * @param quantity what is bounded
   * @param formula the right-hand side in symbols
   * @param value its value
   * @param terms the factors
   * @param source where it comes from
   * @return the bound
   */
  static Bound lower(String quantity, String formula, double value, List<Term> terms,
      Source source) {
    return new Lower(quantity, formula, value, Option.none(), terms, source);
  }

  /**
   * A lower bound with an exact value.
   *
   * @param quantity what is bounded
   * @param formula the right-hand side in symbols
   * @param value its exact value
   * @param terms the factors
   * @param source where it comes from
   * @return the bound
   */
  static Bound lower(String quantity, String formula, BigFraction value, List<Term> terms,
      Source source) {
    return new Lower(quantity, formula, Rationals.toDouble(value), Option.some(value), terms,
        source);
  }

  /**
   * A vacuous bound.
   *
   * @param quantity what would have been bounded
   * @param reason why no finite bound holds
   * @param source the inequality that does not apply
   * @return the bound
   */
  static Bound vacuous(String quantity, String reason, Source source) {
    return new Vacuous(quantity, reason, source);
  }

  private static void checkCommon(String quantity, String formula, double value,
      Option<BigFraction> exact, List<Term> terms, Source source) {
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(formula, "formula");
    Objects.requireNonNull(exact, "exact");
    Objects.requireNonNull(terms, "terms");
    Objects.requireNonNull(source, "source");
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("bound on " + quantity + " evaluated to NaN ("
          + formula + "); a term is undefined: " + terms.map(Term::symbol).mkString(", "));
    }
  }

  private static String render(String inequality, double value, Option<BigFraction> exact,
      List<Term> terms, Source source) {
    StringBuilder sb = new StringBuilder(inequality).append(" = ").append(value);
    exact.forEach(e -> sb.append(" (exactly ").append(Rationals.format(e)).append(')'));
    for (Term t : terms) {
      sb.append("\n  ").append(t.symbol()).append(" = ").append(t.value());
      t.exact().forEach(e -> sb.append(" (").append(Rationals.format(e)).append(')'));
      sb.append("  ").append(t.meaning());
    }
    sb.append("\n  source: ").append(source.describe());
    return sb.toString();
  }
}
