package dev.fixpoint.cli;

/** Placeholder until this module's first class lands. */
final class Cli {
  private Cli() {}
}
