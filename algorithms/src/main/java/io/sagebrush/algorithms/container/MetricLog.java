package io.sagebrush.algorithms.container;

import java.io.PrintStream;

/**
 * Metric lines in the format of SageMaker's first-party algorithms, so their standard metric
 * definitions ({@code #quality_metric: host=\S+, test msd <loss>=(\S+)}) scrape them.
 */
public final class MetricLog {
  private final PrintStream out;
  private final String host;

  /**
   * @param out the job's log
   * @param host the current host, e.g. {@code algo-1}
   */
  public MetricLog(PrintStream out, String host) {
    this.out = out;
    this.host = host;
  }

  /** {@code #quality_metric: host=algo-1, test msd <loss>=0.5}. */
  public void loss(String channel, String metric, double value) {
    out.println(
        "#quality_metric: host=" + host + ", " + channel + " " + metric + " <loss>=" + fmt(value));
  }

  /** {@code #quality_metric: host=algo-1, test binary_classification_accuracy <score>=0.9}. */
  public void score(String channel, String metric, double value) {
    out.println(
        "#quality_metric: host=" + host + ", " + channel + " " + metric + " <score>=" + fmt(value));
  }

  /** {@code #quality_metric: host=algo-1, epoch=3, train objective_loss <loss>=0.5}. */
  public void epochLoss(int epoch, String channel, String metric, double value) {
    out.println(
        "#quality_metric: host="
            + host
            + ", epoch="
            + epoch
            + ", "
            + channel
            + " "
            + metric
            + " <loss>="
            + fmt(value));
  }

  /** The log itself, for progress lines. */
  public PrintStream out() {
    return out;
  }

  static String fmt(double v) {
    return Double.toString(v);
  }
}
