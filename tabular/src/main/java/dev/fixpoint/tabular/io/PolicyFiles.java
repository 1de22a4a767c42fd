package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Policy files: a JSON object mapping each non-terminal state's name to an action name (a
 * deterministic choice) or to an object {action: probability} (numbers or "p/q" strings, read
 * exactly), as {@code fixpoint evaluate --policy FILE} takes them:
 *
 * <pre>{@code {"s0": "go", "s1": {"stay": "1/3", "go": "2/3"}}}</pre>
 *
 * <p>Every non-terminal state must be listed, terminal states must not be, probabilities must be
 * non-negative and sum to exactly 1 per state (the policy is then exact), or within 1e-9 of 1 (the
 * policy is then a double policy). All problems are collected.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class PolicyFiles {
  private static final BigFraction TOLERANCE = Rationals.parse("1e-9");

  private PolicyFiles() {}

  /**
   * Reads a policy file against a model.
   *
   * @param path the file
   * @param mdp the model whose state and action names the file uses
   * @return the policy, exact when every row sums to exactly 1
   * @throws ModelException listing every problem, each with its line and column
   */
  public static TabularPolicy<String, String> read(Path path, TabularMdp<String, String> mdp) {
    String text;
    try {
      text = JsonText.decodeUtf8(Files.readAllBytes(path), path.toString());
    } catch (NoSuchFileException e) {
      throw new ModelException(path + ": no such file");
    } catch (IOException e) {
      throw new ModelException(path + ": cannot read: " + e.getMessage());
    }
    return parse(text, path.toString(), mdp);
  }

  /**
   * Parses policy JSON text against a model.
   *
   * @param text the JSON text
   * @param source a name for messages
   * @param mdp the model
   * @return the policy
   */
  public static TabularPolicy<String, String> parse(String text, String source,
      TabularMdp<String, String> mdp) {
    Json root = JsonParser.parse(text, source);
    List<String> problems = new ArrayList<>();
    if (!(root instanceof Json.Obj obj)) {
      throw new ModelException(source + ":" + root.at() + ": a policy file is an object from "
          + "state names to an action or to {action: probability}, found " + root.describe());
    }
    BigFraction[] p = new BigFraction[mdp.numRows()];
    Arrays.fill(p, BigFraction.ZERO);
    boolean[] listed = new boolean[mdp.numStates()];
    boolean exact = true;
    for (Json.Member m : obj.members()) {
      String where = source + ":" + m.line() + ":" + m.column() + ": state " + m.key();
      int s = mdp.states().find(m.key());
      if (s < 0) {
        problems.add(where + ": not a state of the model");
        continue;
      }
      listed[s] = true;
      if (mdp.isTerminal(s)) {
        problems.add(where + ": is terminal and takes no action");
        continue;
      }
      switch (m.value()) {
        case Json.Str a -> {
          int r = row(mdp, s, a.value());
          if (r < 0) {
            problems.add(where + ": action " + a.value() + " is not available there");
          } else {
            p[r] = BigFraction.ONE;
          }
        }
        case Json.Obj dist -> {
          BigFraction sum = BigFraction.ZERO;
          boolean ok = true;
          for (Json.Member am : dist.members()) {
            String aw = source + ":" + am.line() + ":" + am.column() + ": state " + m.key()
                + ", action " + am.key();
            int r = row(mdp, s, am.key());
            BigFraction prob = number(am.value(), aw, problems);
            if (r < 0) {
              problems.add(aw + ": not available there");
              ok = false;
            } else if (prob == null) {
              ok = false;
            } else if (Rationals.signum(prob) < 0) {
              problems.add(aw + ": probability " + Rationals.format(prob) + " is negative");
              ok = false;
            } else {
              p[r] = prob;
              sum = sum.add(prob);
            }
          }
          if (ok && !sum.equals(BigFraction.ONE)) {
            if (sum.subtract(BigFraction.ONE).abs().compareTo(TOLERANCE) <= 0) {
              exact = false;
            } else {
              problems.add(where + ": probabilities sum to " + Rationals.format(sum)
                  + ", expected 1");
            }
          }
        }
        default -> problems.add(where + ": expected an action name or {action: probability}, "
            + "found " + m.value().describe());
      }
    }
    for (int s = 0; s < mdp.numStates(); s++) {
      if (!listed[s] && !mdp.isTerminal(s)) {
        problems.add(source + ": state " + mdp.states().value(s) + " is missing from the policy");
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
    return exact ? TabularPolicy.ofExact(mdp, p) : TabularPolicy.of(mdp, Rationals.toDoubles(p));
  }

  private static int row(TabularMdp<String, String> mdp, int s, String action) {
    int a = mdp.actions().find(action);
    return a < 0 ? -1 : mdp.row(s, a);
  }

  private static @Nullable BigFraction number(Json v, String where, List<String> problems) {
    @Nullable String text = switch (v) {
      case Json.Num n -> n.text();
      case Json.Str s -> s.value();
      default -> null;
    };
    if (text == null) {
      problems.add(where + ": expected a probability, found " + v.describe());
      return null;
    }
    try {
      return Rationals.parse(text);
    } catch (ModelException e) {
      problems.add(where + ": " + e.getMessage());
      return null;
    }
  }
}
