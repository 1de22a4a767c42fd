package dev.fixpoint.tabular.gflownet;

import org.apiguardian.api.API;

/**
 * Distances between a learned terminal distribution p and the target pi = R/Z over the
 * terminating states X, each named for its convention (spec {@code gflownet.md} section 4).
 *
 * @param tv total variation (1/2) sum_x |p(x) - pi(x)|
 * @param l1Sum sum_x |p(x) - pi(x)| = 2 TV (torchgfn's {@code l1_dist} since 2026-03)
 * @param l1Mean (1/|X|) sum_x |p(x) - pi(x)| (the per-state mean of the 2021 code and papers)
 * @param jsd Jensen-Shannon divergence, natural log, in [0, ln 2]
 * @param kl KL(pi || p), natural log (+infinity when p misses part of pi's support)
 */
@API(status = API.Status.EXPERIMENTAL)
public record TerminalDistance(double tv, double l1Sum, double l1Mean, double jsd, double kl) {}
