package dev.fixpoint.examples.plot;

import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The files a picture was written to.
 *
 * @param png the raster picture
 * @param svg the vector picture
 */
@API(status = API.Status.EXPERIMENTAL)
public record PlotFiles(Path png, Path svg) {
  /** Checks the components. */
  public PlotFiles {
    Objects.requireNonNull(png, "png");
    Objects.requireNonNull(svg, "svg");
  }
}
