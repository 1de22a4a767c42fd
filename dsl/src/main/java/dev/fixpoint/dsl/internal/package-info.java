/** Raw array views and helpers shared with sibling modules; not API. */
@NullMarked
package dev.fixpoint.dsl.internal;

import org.jspecify.annotations.NullMarked;
