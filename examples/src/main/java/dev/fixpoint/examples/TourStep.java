package dev.fixpoint.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One stop of the {@link Tour}: a model, where its published numbers come from, how we computed
 * ours, and each published number next to ours.
 *
 * @param title the model and the quantity, e.g. "Example 3.5 gridworld: v* (Figure 3.5)"
 * @param source where the published numbers are printed
 * @param method how our numbers were computed
 * @param checks each published number (or row of numbers) next to ours
 * @param notes remarks: certificates, caveats
 */
@API(status = API.Status.EXPERIMENTAL)
public record TourStep(String title, String source, String method, List<Check> checks,
    List<String> notes) {

  /** Checks and copies the components. */
  public TourStep {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(method, "method");
    checks = List.copyOf(checks);
    notes = List.copyOf(notes);
  }

  /**
   * A published number next to ours.
   *
   * @param quantity what is compared, e.g. "v*(A)" or "row 0"
   * @param published the number as the source prints it
   * @param ours our number, printed to the same precision (or exactly)
   * @param agrees whether ours matches the published one within half a unit of its last printed
   *     digit (exactly, for exact numbers)
   */
  public record Check(String quantity, String published, String ours, boolean agrees) {
    /** Checks the components. */
    public Check {
      Objects.requireNonNull(quantity, "quantity");
      Objects.requireNonNull(published, "published");
      Objects.requireNonNull(ours, "ours");
    }
  }

  /** {@return whether every check agrees} */
  public boolean agrees() {
    for (Check c : checks) {
      if (!c.agrees()) {
        return false;
      }
    }
    return true;
  }

  /** {@return the step as text lines: title, source, method, one line per check, the notes} */
  public List<String> lines() {
    int q = "quantity".length();
    int p = "published".length();
    int o = "ours".length();
    for (Check c : checks) {
      q = Math.max(q, c.quantity().length());
      p = Math.max(p, c.published().length());
      o = Math.max(o, c.ours().length());
    }
    String row = "  %-" + q + "s  %-" + p + "s  %-" + o + "s  %s";
    List<String> out = new ArrayList<>();
    out.add("== " + title);
    out.add("  source: " + source);
    out.add("  method: " + method);
    out.add(String.format(row, "quantity", "published", "ours", "").stripTrailing());
    for (Check c : checks) {
      out.add(String.format(row, c.quantity(), c.published(), c.ours(),
          c.agrees() ? "agrees" : "DIFFERS"));
    }
    for (String n : notes) {
      out.add("  note: " + n);
    }
    return out;
  }
}
