/** Library-neutral generators of random MDPs, policies and value functions, with QuickTheories adapters. */
module dev.fixpoint.propertytests {
  requires transitive dev.fixpoint.tabular;
  requires transitive dev.fixpoint.theory;
  requires transitive quicktheories;
  requires static transitive org.jspecify;
  requires static transitive org.apiguardian.api;

  exports dev.fixpoint.propertytests;
}
