package dev.fixpoint.theory;

/** Placeholder until the first bound lands. */
final class Theory {
  private Theory() {}
}
