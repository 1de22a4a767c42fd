/**
 * JShell scripting with the fixpoint library preloaded: run a script that stops at the first failing
 * snippet ({@link dev.fixpoint.cli.shell.Scripting#runScript}), or evaluate snippets one by one from
 * a host program ({@link dev.fixpoint.cli.shell.Scripting#eval}) with values and diagnostics
 * returned as data. Snippets run in JShell's separate execution JVM, so a snippet's {@code
 * System.exit} or endless loop cannot kill the host; each snippet has a time limit.
 */
@NullMarked
package dev.fixpoint.cli.shell;

import org.jspecify.annotations.NullMarked;
