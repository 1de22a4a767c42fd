/** See the module documentation. */
@NullMarked
package dev.fixpoint.tabular.operators;

import org.jspecify.annotations.NullMarked;
