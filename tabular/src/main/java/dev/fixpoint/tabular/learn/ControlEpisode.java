package dev.fixpoint.tabular.learn;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One episode of a control learner: the state after it and the experience it generated.
 *
 * @param state Q and visit counts after the episode
 * @param trajectory the episode as it was lived (actions from the behaviour on the live Q)
 */
@API(status = API.Status.EXPERIMENTAL)
public record ControlEpisode(ControlState state, Trajectory trajectory) {
  /** Checks the components. */
  public ControlEpisode {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(trajectory, "trajectory");
  }
}
