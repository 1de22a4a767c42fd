/** OpenCL plumbing of the GPU backend: the context, the kernel source. Not exported. */
@NullMarked
package dev.fixpoint.gpu.internal;

import org.jspecify.annotations.NullMarked;
