package dev.fixpoint.examples.gflownet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.examples.plot.HeatGrid;
import dev.fixpoint.examples.plot.LineFigure;
import dev.fixpoint.tabular.gflownet.GfnRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class HyperGridTrainingTest {
  @Test
  void everyLossImprovesOnTheUniformPolicyAndThePicturesHoldTheNumbers() {
    List<GfnRun> runs = HyperGridTraining.train(8, 3200, 0.03, 0);
    for (GfnRun run : runs) {
      assertTrue(run.last().distance().tv() < run.evaluations().get(0).distance().tv(),
          run.last().toString());
    }
    LineFigure f = HyperGridTraining.tvFigure("t", runs);
    assertEquals(4, f.series().size());
    assertEquals(runs.get(0).last().distance().tv(),
        f.series().get(0).y()[f.series().get(0).y().length - 1]);
    HeatGrid h = HyperGridTraining.heatMap("h", 8, runs.get(0).terminal());
    assertEquals(runs.get(0).terminal()[8 * 2 + 5], h.value(2, 5));
    assertTrue(HyperGridTraining.table(8, runs).contains("SubTB"));
  }
}
