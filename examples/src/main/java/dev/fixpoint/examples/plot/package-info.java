/**
 * Pictures of the examples, drawn with XChart and written as PNG and SVG: value heat maps with
 * policy glyphs for models whose states are grid cells ({@link
 * dev.fixpoint.examples.plot.GridView}), convergence curves of value iteration (residual per
 * sweep, log scale) and learning curves of the learners of {@code dev.fixpoint.tabular.learn}.
 *
 * <p>Each picture is first a value ({@link dev.fixpoint.examples.plot.HeatGrid}, {@link
 * dev.fixpoint.examples.plot.LineFigure}) holding exactly the numbers drawn, so tests and users can
 * read the data; {@link dev.fixpoint.examples.plot.Plots#write} then renders it, headless, to
 * files in a given folder. Nothing here prints.
 */
@NullMarked
package dev.fixpoint.examples.plot;

import org.jspecify.annotations.NullMarked;
