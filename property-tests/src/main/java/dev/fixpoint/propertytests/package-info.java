/** See the module documentation. */
@NullMarked
package dev.fixpoint.propertytests;

import org.jspecify.annotations.NullMarked;
