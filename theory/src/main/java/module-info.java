/** Bounds and certificates computed from a model. */
module dev.fixpoint.theory {
  requires transitive dev.fixpoint.tabular;
  requires ejml.core;
  requires ejml.ddense;
  requires static transitive org.jspecify;
  requires static transitive org.apiguardian.api;

  exports dev.fixpoint.theory;
  exports dev.fixpoint.theory.mirror;
  exports dev.fixpoint.theory.realizability;
}
