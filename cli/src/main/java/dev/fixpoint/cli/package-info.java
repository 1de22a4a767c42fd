/** See the module documentation. */
@NullMarked
package dev.fixpoint.cli;

import org.jspecify.annotations.NullMarked;
