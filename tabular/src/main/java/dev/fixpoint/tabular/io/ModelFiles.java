package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Reads and writes model files (contract: {@code shared/spec/model-format.md}).
 *
 * <ul>
 *   <li>{@code .json}: {@code fixpoint-mdp/1}, exact numbers ({@code 0.9} is 9/10, {@code "1/3"}
 *       is 1/3). The model is exact when every row and the initial distribution sum to exactly 1,
 *       a double model with a warning when some sum misses 1 by at most 10<sup>-9</sup>.
 *   <li>{@code .npz}: {@code fixpoint-mdp-npz/1}, CSR arrays in NumPy's format, for large models
 *       and interop with numpy, scipy and pymdptoolbox; always a double model.
 * </ul>
 *
 * <p>Readers validate everything and collect every problem: a bad file raises one {@link
 * ModelException} whose {@link ModelException#problems()} lists them all, each naming the file,
 * the place (line:column and key path in JSON; key and first bad index in npz; state and action)
 * and the rule broken; its message is the first problem and how many more there are. A file that
 * is missing or unreadable is also a {@code ModelException}. Readers and writers never print.
 *
 * <p>States and actions of a model read from a file are the names in the file (strings); writers
 * name them by {@link String#valueOf(Object)}.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ModelFiles {
  private ModelFiles() {}

  /**
   * Reads a model, choosing the format by the file extension ({@code .json} or {@code .npz},
   * in any letter case). The model's name is the file's {@code name} key (JSON) or else the file
   * name without its extension.
   *
   * @param path the file
   * @return the model and the reader's warnings
   * @throws ModelException when the extension is unknown, the file cannot be read, or it breaks
   *     a rule of its format
   */
  public static LoadedModel read(Path path) {
    return switch (extension(path)) {
      case "json" -> readJson(path);
      case "npz" -> readNpz(path);
      default -> throw unknownExtension(path);
    };
  }

  /**
   * Writes a model, choosing the format by the file extension ({@code .json} or {@code .npz}).
   *
   * @param mdp the model
   * @param path the file to create or replace
   * @return notes on what the format could not hold, one line each (empty for JSON)
   * @throws ModelException when the extension is unknown, the format cannot hold the model, or
   *     the file cannot be written
   */
  public static List<String> write(TabularMdp<?, ?> mdp, Path path) {
    return switch (extension(path)) {
      case "json" -> {
        writeJson(mdp, path);
        yield List.of();
      }
      case "npz" -> writeNpz(mdp, path);
      default -> throw unknownExtension(path);
    };
  }

  /**
   * Reads a {@code fixpoint-mdp/1} JSON file (UTF-8).
   *
   * @param path the file
   * @return the model and its warnings
   * @throws ModelException listing every problem
   */
  public static LoadedModel readJson(Path path) {
    String source = path.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw unreadable(path, source, e);
    }
    return parseJson(JsonText.decodeUtf8(bytes, source), source);
  }

  /**
   * Reads {@code fixpoint-mdp/1} JSON text.
   *
   * @param text the JSON text
   * @param source a name for messages (a file name); also the model name when the text has none,
   *     without a {@code .json} ending
   * @return the model and its warnings
   * @throws ModelException listing every problem
   */
  public static LoadedModel parseJson(String text, String source) {
    return JsonModelReader.read(JsonParser.parse(text, source), source, stem(source));
  }

  /**
   * {@return the canonical {@code fixpoint-mdp/1} text of a model} Exact numbers are written as
   * integers or {@code "p/q"} strings, double numbers as the shortest decimal that reads back as
   * the same double; {@link #parseJson} gives back the same arrays and, for an exact model, an
   * exact model. A double model whose decimals happen to sum to exactly 1 in every row reads back
   * as an exact model with the same doubles.
   *
   * @param mdp the model
   * @throws ModelException when two states or two actions have the same name
   */
  public static String toJson(TabularMdp<?, ?> mdp) {
    return JsonModelWriter.toJson(mdp);
  }

  /**
   * Writes {@link #toJson} to a file in UTF-8.
   *
   * @param mdp the model
   * @param path the file to create or replace
   * @throws ModelException when names clash or the file cannot be written
   */
  public static void writeJson(TabularMdp<?, ?> mdp, Path path) {
    String text = toJson(mdp);
    try {
      Files.writeString(path, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelException("cannot write " + path + ": " + e, e);
    }
  }

  /**
   * Reads a {@code fixpoint-mdp-npz/1} file written by {@code numpy.savez}, {@code
   * numpy.savez_compressed} or {@link #writeNpz}.
   *
   * @param path the file
   * @return the double model (no warnings)
   * @throws ModelException listing every problem, each naming the key and the first bad index
   */
  public static LoadedModel readNpz(Path path) {
    String source = path.toString();
    if (!Files.isRegularFile(path)) {
      throw unreadable(path, source, new IOException("not a regular file"));
    }
    return NpzModelReader.read(path, source, stem(source));
  }

  /**
   * Writes a {@code fixpoint-mdp-npz/1} file (stored zip members, {@code .npy} version 1.0).
   * Terminal states are written as self-loops with reward 0.
   *
   * @param mdp the model; every action must be available in every non-terminal state
   * @param path the file to create or replace
   * @return notes on what the file does not hold (a non-default initial distribution, rewards
   *     that depend on the next state, exactness), one line each
   * @throws ModelException naming the first unavailable (state, action), or when the file cannot
   *     be written
   */
  public static List<String> writeNpz(TabularMdp<?, ?> mdp, Path path) {
    return NpzModelWriter.write(mdp, path);
  }

  static ModelException unreadable(Path path, String source, IOException e) {
    if (e instanceof NoSuchFileException || !Files.exists(path)) {
      return new ModelException(source + ": no such file", e);
    }
    if (e instanceof AccessDeniedException) {
      return new ModelException(source + ": cannot read the file (permission denied)", e);
    }
    if (Files.isDirectory(path)) {
      return new ModelException(source + ": is a directory, not a model file", e);
    }
    return new ModelException(source + ": cannot read the file: " + e.getMessage(), e);
  }

  private static String extension(Path path) {
    Path file = path.getFileName();
    String name = file == null ? "" : file.toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static ModelException unknownExtension(Path path) {
    return new ModelException(path + ": unknown model file extension (known: .json for "
        + "fixpoint-mdp/1, .npz for fixpoint-mdp-npz/1)");
  }

  private static String stem(String source) {
    String name = Path.of(source).getFileName() == null ? source
        : String.valueOf(Path.of(source).getFileName());
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /**
   * Quotes a string as a JSON string literal (RFC 8259 escapes), as the writers do; for programs
   * that print JSON next to fixpoint's own (the CLI's {@code --json} output).
   *
   * @param s any string
   * @return the literal, quotes included
   */
  public static String jsonString(String s) {
    return JsonText.quote(s);
  }
}
