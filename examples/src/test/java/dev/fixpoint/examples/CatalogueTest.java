package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every catalogue entry builds and tabulates; the names are the documented ones. */
class CatalogueTest {

  @Test
  void everyExampleTabulates() {
    for (Catalogue.Entry e : Catalogue.entries()) {
      TabularMdp<?, ?> m = e.model().get().tabulate();
      assertTrue(m.numStates() > 0 && m.numRows() > 0, e.name());
      assertTrue(!e.description().isBlank(), e.name());
    }
  }

  @Test
  void catalogueHasTheTextbookAndGymnasiumModels() {
    assertTrue(Catalogue.names().containsAll(List.of("rand", "jack", "cliff", "random-walk-5",
        "random-walk-19", "frozenlake-4x4", "frozenlake-4x4-det", "frozenlake-8x8",
        "frozenlake-8x8-det", "cliffwalking-gym", "taxi")), Catalogue.names().toString());
    assertEquals(500, Catalogue.model("taxi").tabulate().numStates());
    ModelException e = assertThrows(ModelException.class, () -> Catalogue.model("nope"));
    assertTrue(e.getMessage().contains("taxi"), e.getMessage());
  }
}
