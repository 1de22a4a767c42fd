package dev.fixpoint.propertytests;

/** Placeholder until this module's first class lands. */
final class Generators {
  private Generators() {}
}
