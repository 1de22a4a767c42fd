package dev.fixpoint.examples;

/** Placeholder until this module's first class lands. */
final class Examples {
  private Examples() {}
}
