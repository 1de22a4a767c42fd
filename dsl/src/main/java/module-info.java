/**
 * The fixpoint language: finite distributions, MDP descriptions and their tabulation, policies,
 * value functions and the operator algebra. Terms live here; their interpreters live in
 * {@code dev.fixpoint.tabular} and {@code dev.fixpoint.theory}.
 */
module dev.fixpoint.dsl {
  requires transitive io.vavr;
  requires transitive commons.math3;
  requires static transitive org.jspecify;
  requires static transitive org.apiguardian.api;

  exports dev.fixpoint.dsl;
  exports dev.fixpoint.dsl.features;
  exports dev.fixpoint.dsl.gflownet;
  exports dev.fixpoint.dsl.ope;
  exports dev.fixpoint.dsl.internal to
      dev.fixpoint.tabular, dev.fixpoint.theory, dev.fixpoint.gpu,
      dev.fixpoint.propertytests, dev.fixpoint.examples, dev.fixpoint.cli;
}
