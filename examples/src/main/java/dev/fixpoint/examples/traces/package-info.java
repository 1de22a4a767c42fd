/**
 * The control experiments of Daley, White, Amato and Machado, "Trajectory-Aware Eligibility
 * Traces for Off-Policy Reinforcement Learning" (ICML 2023) on the Bifurcation gridworlds: the
 * lambda sweep with alpha search and test trials, learning curves, the trace visualisation, and
 * their pictures and CSV tables (spec {@code traces.md} sections 5.3 and 5.4).
 */
package dev.fixpoint.examples.traces;
