package dev.fixpoint.dsl;

import org.apiguardian.api.API;

/** An exact interpreter was asked to work on a model or value given with inexact doubles. */
@API(status = API.Status.STABLE)
public final class InexactModelException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was refused and why
   */
  public InexactModelException(String message) {
    super(message);
  }
}
