package io.sagebrush.scheduler.trainingjob.domain;

import java.util.ArrayList;
import java.util.List;

/** Builds SecondaryStatusTransitions from a job's history. */
public final class StatusTransitions {
  private StatusTransitions() {}

  /**
   * One transition per change of secondary status: consecutive entries with the same secondary
   * status merge (the first start time, the latest message); each transition ends when the next
   * starts; the current one has no end unless the job ended. While the job waits for capacity, the
   * current transition's message says what it waits for.
   */
  public static List<StatusTransition> from(List<HistoryEntry> history, String waitingFor) {
    List<StatusTransition> out = new ArrayList<>();
    for (HistoryEntry e : history) {
      int last = out.size() - 1;
      if (last >= 0 && out.get(last).status() == e.secondaryStatus()) {
        StatusTransition prev = out.get(last);
        out.set(last, new StatusTransition(prev.status(), prev.startTime(), null, e.message()));
        continue;
      }
      if (last >= 0) {
        StatusTransition prev = out.get(last);
        out.set(
            last,
            new StatusTransition(prev.status(), prev.startTime(), e.time(), prev.statusMessage()));
      }
      out.add(new StatusTransition(e.secondaryStatus(), e.time(), null, e.message()));
    }
    if (!history.isEmpty()) {
      HistoryEntry lastEntry = history.get(history.size() - 1);
      int last = out.size() - 1;
      StatusTransition current = out.get(last);
      if (lastEntry.state().terminal()) {
        out.set(
            last,
            new StatusTransition(
                current.status(), current.startTime(), lastEntry.time(), current.statusMessage()));
      } else if (waitingFor != null && lastEntry.state() == TrainingJobState.QUEUED) {
        out.set(
            last, new StatusTransition(current.status(), current.startTime(), null, waitingFor));
      }
    }
    return List.copyOf(out);
  }
}
