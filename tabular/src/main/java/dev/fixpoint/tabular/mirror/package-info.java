/**
 * Policy mirror descent on tabular models: the update of {@link
 * dev.fixpoint.tabular.mirror.MirrorUpdates} for each {@link dev.fixpoint.dsl.MirrorMap}, and runs
 * of {@link dev.fixpoint.tabular.mirror.PolicyMirrorDescent} under a {@link
 * dev.fixpoint.dsl.StepSize} schedule with exact policy evaluation at every iterate; NPG on softmax
 * logits ({@link dev.fixpoint.tabular.mirror.NaturalPolicyGradient}); entropy-regularised MDPs
 * ({@link dev.fixpoint.tabular.mirror.EntropyRegularised}) with Cen et al.'s NPG and Lan's PMD
 * ({@link dev.fixpoint.tabular.mirror.RegularisedMirrorDescent}); sample-based learners: tabular
 * on-policy and off-policy MDPO ({@link dev.fixpoint.tabular.mirror.Mdpo}) and the OPMD / AsymRE
 * group losses on bandits ({@link dev.fixpoint.tabular.mirror.GroupPolicyGradient}).
 */
@NullMarked
package dev.fixpoint.tabular.mirror;

import org.jspecify.annotations.NullMarked;
