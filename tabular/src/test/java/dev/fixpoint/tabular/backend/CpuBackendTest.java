package dev.fixpoint.tabular.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.tabular.contract.BackendContract;
import org.junit.jupiter.api.Test;

class CpuBackendTest extends BackendContract {
  @Override
  protected Backend backend() {
    return Backends.cpu();
  }

  @Test
  void foundByNameAndUnknownNamesAreAModelException() {
    assertSame(Backends.cpu(), Backends.byName("cpu"));
    ModelException e = assertThrows(ModelException.class, () -> Backends.byName("quantum"));
    assertEquals("unknown backend \"quantum\"; available: [cpu]", e.getMessage());
  }
}
