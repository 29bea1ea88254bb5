package io.sagebrush.algorithms.data;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.ChannelConfig;

/** Checks that a channel's data has the feature count the hyperparameters declare. */
public final class Features {
  private Features() {}

  /**
   * @throws AlgorithmException naming {@code feature_dim} and the channel when they differ
   */
  public static void requireDim(Dataset data, int featureDim, ChannelConfig channel) {
    if (data.rows() > 0 && data.cols() != featureDim) {
      throw new AlgorithmException(
          "hyperparameter 'feature_dim' is "
              + featureDim
              + " but the records of channel '"
              + channel.name()
              + "' ("
              + ChannelData.files(channel).get(0).name()
              + " line 1) have "
              + data.cols()
              + " features");
    }
    if (data.rows() == 0) {
      throw new AlgorithmException("channel '" + channel.name() + "' has no records");
    }
  }
}
