package dev.fixpoint.cli;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.io.LoadedModel;
import dev.fixpoint.tabular.io.ModelFiles;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Reads a model file for a command and reports the reader's warnings on stderr. */
final class Models {
  private Models() {}

  static TabularMdp<String, String> read(Path path, PrintWriter err) {
    LoadedModel lm = ModelFiles.read(path);
    for (String w : lm.warnings()) {
      err.println("fixpoint: warning: " + w);
    }
    err.flush();
    return lm.mdp();
  }
}
