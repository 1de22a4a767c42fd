package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  @TempDir
  Path dir;

  record Outcome(int code, String out, String err) {}

  static Outcome fixpoint(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(code, out.toString(), err.toString());
  }

  Path script(String text) throws IOException {
    Path p = dir.resolve("s.jsh");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void runsAScriptWithTheLibraryPreloaded() throws IOException {
    Path p = script("""
        // the library's packages are imported
        var d = Dist.uniform(1, 2, 3)
        System.out.println(d.probability(2));
        int twice(int x) { return 2 * x; }
        System.out.println(twice(21));
        """);
    Outcome o = fixpoint("run", p.toString());
    assertEquals("", o.err());
    assertEquals(0, o.code());
    assertEquals("1 / 3\n42\n", o.out());
  }

  @Test
  void stopsAtTheFirstSnippetThatDoesNotCompileAndNamesItsLine() throws IOException {
    Path p = script("""
        System.out.println("before");
        int x = "not an int";
        System.out.println("after");
        """);
    Outcome o = fixpoint("run", p.toString());
    assertEquals(2, o.code());
    assertEquals("before\n", o.out());
    assertTrue(o.err().startsWith("fixpoint: " + p + " line 2: does not compile: "), o.err());
    assertEquals(1, o.err().lines().count(), o.err());
  }

  @Test
  void stopsAtTheFirstSnippetThatThrows() throws IOException {
    Path p = script("""
        System.out.println("one");

        Dist.uniform(java.util.List.of());
        System.out.println("never");
        """);
    Outcome o = fixpoint("run", p.toString());
    assertEquals(2, o.code());
    assertEquals("one\n", o.out());
    assertEquals("fixpoint: " + p + " line 3: threw dev.fixpoint.dsl.ModelException: uniform "
        + "distribution over no values\n", o.err());
  }

  @Test
  void systemExitInAScriptDoesNotKillTheHost() throws IOException {
    Path p = script("System.exit(0);\nSystem.out.println(\"never\");\n");
    Outcome o = fixpoint("run", p.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("line 1: the execution JVM ended"), o.err());
  }

  @Test
  void endlessLoopIsStoppedByTheTimeLimit() throws IOException {
    Path p = script("while (true) { }\n");
    Outcome o = fixpoint("run", "--timeout", "2", p.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("line 1: stopped after its time limit"), o.err());
  }

  @Test
  void missingScriptIsOneLineAndExitTwo() {
    Outcome o = fixpoint("run", dir.resolve("nope.jsh").toString());
    assertEquals(2, o.code());
    assertEquals("fixpoint: " + dir.resolve("nope.jsh") + ": no such file\n", o.err());
  }

  @Test
  void unknownOptionIsOneLineAndExitTwo() {
    Outcome o = fixpoint("run", "--frobnicate", "x.jsh");
    assertEquals(2, o.code());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("fixpoint: Unknown option: '--frobnicate'"), o.err());
  }
}
