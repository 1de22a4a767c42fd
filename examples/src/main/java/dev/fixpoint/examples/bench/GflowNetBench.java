package dev.fixpoint.examples.bench;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.gpu.OpenClBackend;
import dev.fixpoint.gpu.OpenClFlows;
import dev.fixpoint.tabular.gflownet.Flows;
import dev.fixpoint.tabular.gflownet.HyperGrid;
import dev.fixpoint.tabular.gflownet.LogFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Workload (d): the exact log-space flow of a large HyperGrid under the uniform backward policy,
 * timed on the CPU ({@code Flows.logSpace}, one sequential reverse-topological pass) and on each
 * named backend in the same run ({@code "opencl"}: {@link OpenClFlows}, one launch per
 * topological level): "ms/flow" includes the upload of the network and the read-back, "ms
 * resident" only the launches and the read-back ({@link OpenClFlows.Resident#flow()}). A plain
 * timing loop: one untimed warm-up run, then the mean of {@code runs} runs. Each line reports
 * log Z and the largest |log F(s) - log F_cpu(s)| beside the bound {@link
 * OpenClFlows#tolerance}.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class GflowNetBench {
  private GflowNetBench() {}

  /**
   * {@return the report lines}
   *
   * @param backends "cpu" and/or "opencl" (the CPU is always timed first, as the reference)
   * @param ndim D of the HyperGrid, &gt;= 1
   * @param height H of the HyperGrid, &gt;= 2
   * @param runs timed runs per backend, &gt;= 1
   * @throws ModelException for another backend name, or when OpenCL is unavailable
   */
  public static List<String> run(List<String> backends, int ndim, int height, int runs) {
    for (String b : backends) {
      if (!b.equals("cpu") && !b.equals("opencl")) {
        throw new ModelException("--workload gflownet runs on the backends cpu and opencl (got \""
            + b + "\")");
      }
    }
    long t0 = System.nanoTime();
    TabularFlowNetwork<List<Integer>> net = HyperGrid.of(ndim, height).tabulate();
    BackwardTable pb = net.backward(BackwardPolicy.uniform());
    double build = (System.nanoTime() - t0) / 1e9;
    List<String> lines = new ArrayList<>();
    OpenClFlows.Levels lv = OpenClFlows.Levels.of(net);
    lines.add(String.format(Locale.ROOT, "gflownet: HyperGrid D=%d H=%d, %,d states, %,d edges, "
        + "%d levels, uniform P_B (built in %.1f s)", ndim, height, net.size(), net.edges(),
        lv.count(), build));
    LogFlow cpu = Flows.logSpace(net, pb);
    double cpuMs = time(() -> Flows.logSpace(net, pb), runs);
    double tol = OpenClFlows.tolerance(net, cpu);
    lines.add(String.format(Locale.ROOT, "%-8s %10s %8s %12s %8s %22s %12s  %s", "backend",
        "ms/flow", "vs cpu", "ms resident", "vs cpu", "log Z", "max |dlogF|", "device"));
    lines.add(String.format(Locale.ROOT, "%-8s %10.2f %7.2fx %12s %8s %22.16f %12s  %s", "cpu",
        cpuMs, 1.0, "-", "-", cpu.logZ(), "0", "Java, sequential"));
    for (String b : backends) {
      if (b.equals("cpu")) {
        continue;
      }
      LogFlow dev = OpenClFlows.logSpace(net, pb);
      double ms = time(() -> OpenClFlows.logSpace(net, pb), runs);
      double resident;
      try (OpenClFlows.Resident r = OpenClFlows.upload(net, pb)) {
        r.flow();
        resident = time(r::flow, runs);
      }
      double worst = 0;
      for (int s = 0; s < net.size(); s++) {
        double a = cpu.logStateFlow()[s];
        double d = dev.logStateFlow()[s];
        if (a != d) {
          worst = Math.max(worst, Math.abs(a - d));
        }
      }
      lines.add(String.format(Locale.ROOT, "%-8s %10.2f %7.2fx %12.2f %7.2fx %22.16f %12.3g  %s",
          b, ms, cpuMs / ms, resident, cpuMs / resident, dev.logZ(), worst,
          OpenClBackend.float64().device()));
    }
    lines.add(String.format(Locale.ROOT, "bound on |dlogF| (levels (8 (k+2) u + 4 u max|log F|)): "
        + "%.3g", tol));
    return lines;
  }

  private static double time(Runnable r, int runs) {
    long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      r.run();
    }
    return (System.nanoTime() - t0) / 1e6 / runs;
  }
}
