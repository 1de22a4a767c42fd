/** See the module documentation. */
@NullMarked
package dev.fixpoint.examples;

import org.jspecify.annotations.NullMarked;
