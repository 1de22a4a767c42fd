/**
 * Generative flow networks as values: a {@link dev.fixpoint.dsl.gflownet.FlowNetwork} (a DAG over
 * typed states with a source, terminating states and a positive {@link
 * dev.fixpoint.dsl.gflownet.Reward}), its tabulation {@link
 * dev.fixpoint.dsl.gflownet.TabularFlowNetwork} into CSR arrays in topological order, backward
 * policies ({@link dev.fixpoint.dsl.gflownet.BackwardPolicy}) and the training objectives ({@link
 * dev.fixpoint.dsl.gflownet.Loss}, {@link dev.fixpoint.dsl.gflownet.Regression}).
 *
 * <p>Conventions (Bengio, Lahlou, Deleu, Hu, Tiwari and Bengio, "GFlowNet Foundations", JMLR 2023;
 * the exit-action convention of torchgfn): a terminating state x carries an extra exit action
 * x -&gt; s_f; a complete trajectory is s_0 -&gt; ... -&gt; x -&gt; s_f and its object is x. A
 * terminating state may also have children. Interpreters live in {@code
 * dev.fixpoint.tabular.gflownet}.
 */
@NullMarked
package dev.fixpoint.dsl.gflownet;

import org.jspecify.annotations.NullMarked;
