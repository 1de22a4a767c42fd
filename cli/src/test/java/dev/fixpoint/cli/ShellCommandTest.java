package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs {@code fixpoint shell --batch} as its own process, as a user's pipe would. */
class ShellCommandTest {
  @Test
  void interactiveShellHasTheLibraryImported() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "dev.fixpoint.cli.Main", "shell", "--batch").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write("Dist.bernoulli(\"1/4\").probability(true)\n/exit\n"
          .getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "shell did not exit");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("==> 1 / 4"), out);
  }
}
