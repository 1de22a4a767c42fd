/** The fixpoint command. */
module dev.fixpoint.cli {
  requires dev.fixpoint.examples;
  requires info.picocli;
  requires static org.jspecify;
  requires static org.apiguardian.api;

  exports dev.fixpoint.cli;
  opens dev.fixpoint.cli to info.picocli;
}
