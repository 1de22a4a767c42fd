/** See the module documentation. */
@NullMarked
package dev.fixpoint.gpu;

import org.jspecify.annotations.NullMarked;
