package dev.fixpoint.tabular.backend;

import dev.fixpoint.dsl.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apiguardian.api.API;

/** Finds backends: the CPU one, and any others on the class or module path by {@link ServiceLoader}. */
@API(status = API.Status.EXPERIMENTAL)
public final class Backends {
  private Backends() {}

  /** {@return the CPU backend, the reference every other backend is tested against} */
  public static Backend cpu() {
    return CpuBackend.INSTANCE;
  }

  /** {@return the names of every backend found} */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    out.add(cpu().name());
    for (Backend b : ServiceLoader.load(Backend.class)) {
      if (!out.contains(b.name())) {
        out.add(b.name());
      }
    }
    return out;
  }

  /**
   * {@return the backend with this name}
   * @param name "cpu" or the name of a backend on the path
   *
   * @throws ModelException when no backend has that name
   */
  public static Backend byName(String name) {
    if (name.equals(cpu().name())) {
      return cpu();
    }
    for (Backend b : ServiceLoader.load(Backend.class)) {
      if (b.name().equals(name)) {
        return b;
      }
    }
    throw new ModelException("unknown backend \"" + name + "\"; available: " + names());
  }
}
