package dev.fixpoint.dsl;

import org.apiguardian.api.API;

/**
 * With discount 1, a policy does not reach a terminal state with probability 1 from some state, so
 * its value is not defined by the Bellman equation (the linear system is singular).
 */
@API(status = API.Status.STABLE)
public final class ImproperPolicyException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the first state that does not terminate
   */
  public ImproperPolicyException(String message) {
    super(message);
  }
}
