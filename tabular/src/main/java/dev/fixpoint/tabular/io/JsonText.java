package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.ModelException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** JSON text helpers shared by the parser, the reader's messages and the writer. */
final class JsonText {
  private JsonText() {}

  /**
   * Quotes a string as a JSON string literal: {@code "} and {@code \} escaped, control characters
   * (below U+0020) as {@code \n}, {@code \t} ... or {@code \}{@code uXXXX}; everything else as is.
   *
   * @param s any string
   * @return the literal, quotes included
   */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * Decodes UTF-8 strictly (RFC 8259 section 8.1: JSON text exchanged between systems is UTF-8).
   *
   * @param bytes the file content
   * @param source the file name, for messages
   * @return the text
   * @throws ModelException naming the first byte that is not valid UTF-8
   */
  static String decodeUtf8(byte[] bytes, String source) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      // find the offset by decoding prefixes is costly; scan for the first bad sequence instead
      return failAt(bytes, source);
    }
  }

  private static String failAt(byte[] bytes, String source) {
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xff;
      int len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3
          : b >= 0xf0 && b < 0xf5 ? 4 : 0;
      boolean ok = len > 0 && i + len <= bytes.length;
      for (int k = 1; ok && k < len; k++) {
        ok = (bytes[i + k] & 0xc0) == 0x80;
      }
      if (ok && len > 1) {
        // re-decode the single sequence to catch overlong forms and surrogates
        try {
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, i, len));
        } catch (CharacterCodingException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new ModelException(source + ": byte " + i + " (0x" + Integer.toHexString(b)
            + ") is not valid UTF-8 (JSON files must be UTF-8)");
      }
      i += len;
    }
    throw new ModelException(source + ": not valid UTF-8 (JSON files must be UTF-8)");
  }
}
