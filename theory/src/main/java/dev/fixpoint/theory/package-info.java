/** See the module documentation. */
@NullMarked
package dev.fixpoint.theory;

import org.jspecify.annotations.NullMarked;
