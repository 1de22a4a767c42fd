package dev.fixpoint.gpu;

/** Placeholder until this module's first class lands. */
final class Gpu {
  private Gpu() {}
}
