package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.cli.shell.Scripting;
import dev.fixpoint.cli.shell.SnippetResult;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScriptingTest {
  @Test
  void valuesDiagnosticsAndOutputComeBackAsData() {
    try (Scripting s = Scripting.open(System.getProperty("java.class.path"),
        Duration.ofSeconds(5))) {
      SnippetResult v = s.eval("Dist.uniform(\"a\", \"b\").probability(\"a\")");
      assertEquals(SnippetResult.Status.OK, v.status());
      assertEquals(Optional.of("1 / 2"), v.value());

      SnippetResult bad = s.eval("int x = \"s\";");
      assertEquals(SnippetResult.Status.COMPILE_ERROR, bad.status());
      assertFalse(bad.diagnostics().isEmpty());

      SnippetResult thrown = s.eval("Rationals.parse(\"1/0\")");
      assertEquals(SnippetResult.Status.EXCEPTION, thrown.status());
      assertEquals("dev.fixpoint.dsl.ModelException: number \"1/0\": denominator is zero",
          thrown.diagnostics().get(0));

      SnippetResult loop = s.eval("while (true) { }");
      assertEquals(SnippetResult.Status.TIMEOUT, loop.status());
      // the session survives a stopped snippet
      assertTrue(s.eval("1 + 1").ok());
    }
  }
}
