/** See the module documentation. */
@NullMarked
package dev.fixpoint.tabular.solve;

import org.jspecify.annotations.NullMarked;
