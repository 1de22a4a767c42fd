package dev.fixpoint.tabular.io;

import static dev.fixpoint.tabular.io.Models.assertSameModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade: format by extension, and files that are missing or cannot be read or written. */
class ModelFilesTest {

  private static String message(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(ModelException.class, e).getMessage();
  }

  @Test
  void choosesTheFormatByExtensionInAnyLetterCase(@TempDir Path dir) throws Exception {
    TabularMdp<String, String> m = NpzWriterTest.tiny("tiny");
    Path json = dir.resolve("tiny.JSON");
    Path npz = dir.resolve("tiny.Npz");
    assertEquals(List.of(), ModelFiles.write(m, json));
    assertEquals(List.of(), ModelFiles.write(m, npz));
    assertTrue(Files.readString(json).startsWith("{\n  \"format\": \"fixpoint-mdp/1\""));
    assertEquals(0x04034b50, Integer.reverseBytes(
        java.nio.ByteBuffer.wrap(Files.readAllBytes(npz)).getInt())); // zip local header
    assertSameModel(m, ModelFiles.read(json).mdp());
    assertSameModel(m, ModelFiles.read(npz).mdp());
  }

  @Test
  void unknownExtensionsAreNamed(@TempDir Path dir) {
    Path p = dir.resolve("model.yaml");
    assertEquals(p + ": unknown model file extension (known: .json for fixpoint-mdp/1, .npz for "
        + "fixpoint-mdp-npz/1)", message(() -> ModelFiles.read(p)));
    Path q = dir.resolve("model");
    assertEquals(q + ": unknown model file extension (known: .json for fixpoint-mdp/1, .npz for "
        + "fixpoint-mdp-npz/1)", message(() -> ModelFiles.write(NpzWriterTest.tiny("t"), q)));
  }

  @Test
  void missingFilesAreNamed(@TempDir Path dir) {
    Path json = dir.resolve("nope.json");
    Path npz = dir.resolve("nope.npz");
    assertEquals(json + ": no such file", message(() -> ModelFiles.read(json)));
    assertEquals(npz + ": no such file", message(() -> ModelFiles.read(npz)));
  }

  @Test
  void directoriesCannotBeRead(@TempDir Path dir) throws Exception {
    Path json = Files.createDirectory(dir.resolve("d.json"));
    assertEquals(json + ": is a directory, not a model file", message(() -> ModelFiles.read(json)));
    Path npz = Files.createDirectory(dir.resolve("d.npz"));
    assertEquals(npz + ": is a directory, not a model file", message(() -> ModelFiles.read(npz)));
  }

  @Test
  void unwritablePlacesAreNamed(@TempDir Path dir) {
    Path p = dir.resolve("missing-dir").resolve("m.json");
    assertTrue(message(() -> ModelFiles.write(NpzWriterTest.tiny("t"), p))
        .startsWith("cannot write " + p + ": java.nio.file.NoSuchFileException"));
    Path q = dir.resolve("missing-dir").resolve("m.npz");
    assertTrue(message(() -> ModelFiles.write(NpzWriterTest.tiny("t"), q))
        .startsWith("cannot write " + q + ": java.nio.file.NoSuchFileException"));
  }

  @Test
  void theModelIsNamedAfterTheFileWhenTheFileHasNoName() {
    LoadedModel lm = ModelFiles.parseJson("""
        {"format": "fixpoint-mdp/1", "discount": 1, "numStates": 1, "numActions": 1,
         "terminal": ["0"], "transitions": []}""", "dir/only-terminal.json");
    assertEquals("only-terminal", lm.mdp().name());
    assertEquals(0, lm.mdp().numRows());
    assertEquals(1.0, lm.mdp().initial(0));
  }
}
