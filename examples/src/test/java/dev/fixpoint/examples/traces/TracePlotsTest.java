package dev.fixpoint.examples.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.examples.Bifurcation;
import dev.fixpoint.examples.plot.PlotFiles;
import dev.fixpoint.examples.traces.BifurcationExperiment.Config;
import dev.fixpoint.examples.traces.BifurcationExperiment.Env;
import dev.fixpoint.examples.traces.BifurcationExperiment.Method;
import dev.fixpoint.examples.traces.BifurcationExperiment.Result;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The one-figure lambda sweep: a panel per environment, in PNG and SVG. */
class TracePlotsTest {
  @TempDir Path dir;

  static final Env ONE = new Env("Bifurcation1-short", Bifurcation.one().tabulate(), 200, 5,
      Math.pow(0.9, 6));
  static final Env TWO = new Env("Bifurcation1-shorter", Bifurcation.one().tabulate(), 100, 5,
      Math.pow(0.9, 6));
  static final Env THREE = new Env("Bifurcation1-shortest", Bifurcation.one().tabulate(), 60, 5,
      Math.pow(0.9, 6));

  // Three environments, two panels per row: a 2 x 2 grid of 900 x 560 panels, one cell empty.
  @Test
  void lambdaSweepIsOneFigureWithAPanelPerEnvironment() throws Exception {
    Result r = BifurcationExperiment.run(new Config(List.of(ONE, TWO, THREE),
        List.of(Method.RBIS, Method.RETRACE), new double[] {0, 1}, new double[] {0.9}, 1, 1, 0, 1,
        1), n -> { });
    PlotFiles f = TracePlots.lambdaSweepFigure(r, dir);
    BufferedImage png = ImageIO.read(f.png().toFile());
    assertEquals(2 * TracePlots.PANEL_WIDTH, png.getWidth());
    assertEquals(2 * TracePlots.PANEL_HEIGHT, png.getHeight());
    // the empty fourth cell stays white; the first panel has drawn pixels
    assertEquals(0xFFFFFF, png.getRGB(TracePlots.PANEL_WIDTH + 450, TracePlots.PANEL_HEIGHT + 280)
        & 0xFFFFFF);
    boolean ink = false;
    for (int x = 0; x < TracePlots.PANEL_WIDTH && !ink; x += 3) {
      ink = (png.getRGB(x, 280) & 0xFFFFFF) != 0xFFFFFF;
    }
    assertTrue(ink, "the first panel is blank");

    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document svg = dbf.newDocumentBuilder().parse(f.svg().toFile());
    Element root = svg.getDocumentElement();
    assertEquals("1800", root.getAttribute("width"));
    assertEquals("1120", root.getAttribute("height"));
    NodeList panels = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
    // the root and one nested svg per environment, at its grid cell
    assertEquals(4, panels.getLength());
    String[][] at = {{"0", "0"}, {"900", "0"}, {"0", "560"}};
    for (int i = 0; i < 3; i++) {
      Element p = (Element) panels.item(i + 1);
      assertEquals(at[i][0], p.getAttribute("x"), "panel " + i);
      assertEquals(at[i][1], p.getAttribute("y"), "panel " + i);
    }
    // ids are unique across panels (clip paths of one panel never apply to another)
    NodeList all = svg.getElementsByTagName("*");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < all.getLength(); i++) {
      String id = ((Element) all.item(i)).getAttribute("id");
      assertTrue(id.isEmpty() || ids.add(id), "duplicate id " + id);
    }
  }
}
