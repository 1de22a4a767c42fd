/** Exact and double tabular algorithms: solvers, operator interpreters and the CPU backend. */
module dev.fixpoint.tabular {
  requires transitive dev.fixpoint.dsl;
  requires ejml.core;
  requires ejml.ddense;
  requires static transitive org.jspecify;
  requires static transitive org.apiguardian.api;

  exports dev.fixpoint.tabular.backend;
  exports dev.fixpoint.tabular.gflownet;
  exports dev.fixpoint.tabular.io;
  exports dev.fixpoint.tabular.learn;
  exports dev.fixpoint.tabular.mirror;
  exports dev.fixpoint.tabular.operators;
  exports dev.fixpoint.tabular.ope;
  exports dev.fixpoint.tabular.random;
  exports dev.fixpoint.tabular.solve;
  exports dev.fixpoint.tabular.traces;
  exports dev.fixpoint.tabular.internal to
      dev.fixpoint.theory, dev.fixpoint.gpu, dev.fixpoint.propertytests, dev.fixpoint.examples,
      dev.fixpoint.cli;

  uses dev.fixpoint.tabular.backend.Backend;
  provides dev.fixpoint.tabular.backend.Backend with dev.fixpoint.tabular.backend.CpuBackend;
}
