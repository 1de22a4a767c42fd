package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fixpoint.cli.RunCommandTest.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every script in examples/jshell runs to its end through {@code fixpoint run}. */
class ExampleScriptsTest {
  static Path scriptsDir() {
    Path p = Path.of("").toAbsolutePath();
    // surefire runs in the module folder; the scripts live beside it in examples/
    return p.resolveSibling("examples").resolve("jshell");
  }

  static List<Path> scripts() throws IOException {
    try (Stream<Path> s = Files.list(scriptsDir())) {
      return s.filter(p -> p.toString().endsWith(".jsh")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void scriptRunsToTheEnd(Path script) {
    Outcome o = RunCommandTest.fixpoint("run", script.toString());
    assertEquals("", o.err(), script + " printed on stderr");
    assertEquals(0, o.code(), script + ": " + o.out());
  }

  @org.junit.jupiter.api.Test
  void thereAreScripts() throws IOException {
    assertFalse(scripts().isEmpty());
  }
}
