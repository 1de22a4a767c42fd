/** The fixpoint command. */
module dev.fixpoint.cli {
  requires dev.fixpoint.examples;
  requires dev.fixpoint.propertytests;
  requires info.picocli;
  requires jdk.jshell;
  requires static org.jspecify;
  requires static org.apiguardian.api;

  exports dev.fixpoint.cli;
  exports dev.fixpoint.cli.shell;
  opens dev.fixpoint.cli to info.picocli;
}
