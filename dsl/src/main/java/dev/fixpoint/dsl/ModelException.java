package dev.fixpoint.dsl;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Bad user input: a model, a distribution, a policy or a file that breaks a rule. The message
 * names the place (state, action, key) and the rule; {@link #problems()} holds every problem found
 * when validation collected more than one.
 */
@API(status = API.Status.STABLE)
public class ModelException extends RuntimeException {
  /** Serialization version. */
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * One problem.
   * @param message names the place and the rule broken
   */
  public ModelException(String message) {
    super(message);
    this.problems = List.of(message);
  }

  /**
   * One problem with its cause.
   * @param message the problem
   * @param cause what was thrown
   */
  public ModelException(String message, Throwable cause) {
    super(message, cause);
    this.problems = List.of(message);
  }

  /**
   * Several problems, reported together; the message is the first and says how many more.
   *
   * @param problems at least one problem
   */
  public ModelException(List<String> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /** {@return every problem found, in the order found (at least one)} */
  public List<String> problems() {
    return problems;
  }

  private static String summary(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ModelException needs at least one problem");
    }
    int more = problems.size() - 1;
    return more == 0 ? problems.get(0)
        : problems.get(0) + " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")";
  }
}
