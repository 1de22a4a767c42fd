/** Textbook and paper examples, the tour and benchmarks. */
module dev.fixpoint.examples {
  requires transitive dev.fixpoint.tabular;
  requires transitive dev.fixpoint.theory;
  requires dev.fixpoint.gpu;
  requires static jmh.core;
  requires java.desktop;
  requires xchart;
  requires static transitive org.jspecify;
  requires static transitive org.apiguardian.api;

  exports dev.fixpoint.examples;
  exports dev.fixpoint.examples.bench;
  exports dev.fixpoint.examples.mirror;
  exports dev.fixpoint.examples.gflownet;
  exports dev.fixpoint.examples.plot;
  exports dev.fixpoint.examples.realizability;
  exports dev.fixpoint.examples.ope;
  exports dev.fixpoint.examples.traces;
}
