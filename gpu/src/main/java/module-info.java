/** The GPU backend adapter, behind the backend SPI of {@code dev.fixpoint.tabular}. */
module dev.fixpoint.gpu {
  requires transitive dev.fixpoint.tabular;
  requires static transitive org.jspecify;
  requires static transitive org.apiguardian.api;

  exports dev.fixpoint.gpu;
}
