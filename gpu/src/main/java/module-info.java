/**
 * The GPU backend: {@link dev.fixpoint.gpu.OpenClBackend}, OpenCL kernels through JOCL behind the
 * backend SPI of {@code dev.fixpoint.tabular}.
 */
module dev.fixpoint.gpu {
  requires transitive dev.fixpoint.tabular;
  requires jocl;
  requires static transitive org.jspecify;
  requires static transitive org.apiguardian.api;

  exports dev.fixpoint.gpu;

  provides dev.fixpoint.tabular.backend.Backend with
      dev.fixpoint.gpu.OpenClBackend, dev.fixpoint.gpu.OpenClBackend.Float32;
}
