package dev.fixpoint.tabular.operators;

/** Placeholder; replaced by DoubleInterpreter and ExactInterpreter. */
final class Interpreters {
  private Interpreters() {}
}
