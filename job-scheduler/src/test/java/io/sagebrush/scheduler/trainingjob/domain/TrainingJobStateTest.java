package io.sagebrush.scheduler.trainingjob.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainingJobStateTest {
  private static final Path SOURCE =
      Path.of("src/main/java/io/sagebrush/scheduler/trainingjob/domain/TrainingJobState.java");

  /** Edges drawn in the Javadoc diagram: "A, B ----> C ----> D" means A->C, B->C, C->D. */
  static Set<String> diagramEdges() throws IOException {
    String src = Files.readString(SOURCE);
    String pre = src.substring(src.indexOf("<pre>") + 5, src.indexOf("</pre>"));
    Set<String> edges = new HashSet<>();
    for (String raw : pre.split("\n")) {
      String line = raw.replaceFirst("^\\s*\\*", "").replaceAll("\\(.*\\)", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] segments = line.split("---->");
      for (int i = 0; i + 1 < segments.length; i++) {
        for (String from : segments[i].split(",")) {
          for (String to : segments[i + 1].split(",")) {
            edges.add(from.trim() + "->" + to.trim());
          }
        }
      }
    }
    return edges;
  }

  static Set<String> tableEdges() {
    Set<String> edges = new HashSet<>();
    for (TrainingJobState s : TrainingJobState.values()) {
      for (TrainingJobState t : s.successors()) {
        edges.add(s + "->" + t);
      }
    }
    return edges;
  }

  @Test
  void javadocDiagramDrawsExactlyTheTransitionsOfTheTable() throws IOException {
    assertThat(diagramEdges()).isEqualTo(tableEdges());
  }

  @Test
  void terminalStatesHaveNoSuccessorsHoldNoCapacityAndCannotBeStopped() {
    for (TrainingJobState s : TrainingJobState.values()) {
      if (s.terminal()) {
        assertThat(s.successors()).isEmpty();
        assertThat(s.holdsCapacity()).isFalse();
        assertThat(s.stoppable()).isFalse();
      } else {
        assertThat(s.successors()).contains(TrainingJobState.FAILED);
      }
    }
    assertThat(TrainingJobState.active())
        .isEqualTo(
            EnumSet.of(
                TrainingJobState.QUEUED,
                TrainingJobState.PLACED,
                TrainingJobState.DOWNLOADING,
                TrainingJobState.TRAINING,
                TrainingJobState.UPLOADING,
                TrainingJobState.STOPPING));
  }

  @Test
  void everyStateShowsTheSageMakerStatusPairTheSpecAllows() {
    for (TrainingJobState s : List.of(TrainingJobState.values())) {
      switch (s.status()) {
        case InProgress ->
            assertThat(s.secondaryStatus())
                .isIn(
                    SecondaryStatus.Starting,
                    SecondaryStatus.Downloading,
                    SecondaryStatus.Training,
                    SecondaryStatus.Uploading);
        case Stopping -> assertThat(s.secondaryStatus()).isEqualTo(SecondaryStatus.Stopping);
        case Stopped -> assertThat(s.secondaryStatus()).isEqualTo(SecondaryStatus.Stopped);
        case Completed -> assertThat(s.secondaryStatus()).isEqualTo(SecondaryStatus.Completed);
        case Failed -> assertThat(s.secondaryStatus()).isEqualTo(SecondaryStatus.Failed);
        default -> throw new AssertionError(s);
      }
    }
  }

  @Test
  void onlyPlacedOrLaterStatesHoldCapacity() {
    assertThat(TrainingJobState.QUEUED.holdsCapacity()).isFalse();
    assertThat(TrainingJobState.PLACED.holdsCapacity()).isTrue();
    assertThat(TrainingJobState.STOPPING.holdsCapacity()).isTrue();
    assertThat(TrainingJobState.STOPPING.stoppable()).isFalse();
    assertThat(TrainingJobState.QUEUED.stoppable()).isTrue();
  }
}
