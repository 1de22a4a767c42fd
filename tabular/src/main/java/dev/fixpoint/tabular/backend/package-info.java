/** See the module documentation. */
@NullMarked
package dev.fixpoint.tabular.backend;

import org.jspecify.annotations.NullMarked;
