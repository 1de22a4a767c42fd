package dev.fixpoint.gpu;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Skips a test with the reason when no OpenCL device exists, unless the environment variable
 * FIXPOINT_REQUIRE_OPENCL=1 (set by CI, which installs PoCL): then a missing device fails.
 */
final class OpenClAvailability {
  private OpenClAvailability() {}

  static void require(OpenClBackend b) {
    OpenClBackend.Probe p = b.probe();
    if (p.available()) {
      return;
    }
    if ("1".equals(System.getenv("FIXPOINT_REQUIRE_OPENCL"))) {
      fail("FIXPOINT_REQUIRE_OPENCL=1 but " + b.name() + " cannot run: " + p.detail());
    }
    assumeTrue(false, b.name() + " skipped: " + p.detail());
  }
}
