package io.sagebrush.algorithms.data;

import io.sagebrush.algorithms.container.AlgorithmException;
import io.sagebrush.algorithms.container.ChannelConfig;
import java.util.List;

/**
 * Channel reading for Linear Learner and K-Means: {@code text/csv} with an optional {@code
 * label_size} parameter, and {@code application/x-recordio-protobuf} as the SageMaker Python SDK's
 * {@code record_set()} uploads it (declared, or recognised by its magic number when the channel has
 * no ContentType, as the SDK leaves it).
 */
public final class FirstPartyChannels {
  private FirstPartyChannels() {}

  /**
   * Reads a CSV or RecordIO-protobuf channel.
   *
   * @param channel the channel
   * @param defaultLabelColumns label columns when the content type has no {@code label_size}
   * @param expectedCols the feature count every row must have, or -1
   * @param labelRule what labels must be, or null
   * @throws AlgorithmException for another content type or a bad label_size
   */
  public static Dataset read(
      ChannelConfig channel, int defaultLabelColumns, int expectedCols, LabelRule labelRule) {
    List<NamedFile> files = ChannelData.files(channel);
    String media = channel.mediaType();
    if (media == null && ChannelData.looksLikeRecordIo(files)) {
      media = "application/x-recordio-protobuf";
    }
    if (media != null
        && (media.equals("application/x-recordio-protobuf") || media.equals("recordio-protobuf"))) {
      RecordIoProtobufReader reader = new RecordIoProtobufReader(defaultLabelColumns > 0);
      if (defaultLabelColumns > 0 && labelRule != null) {
        reader.withLabelRule(labelRule);
      }
      return reader.read(files);
    }
    if (media != null && !media.equals("text/csv") && !media.equals("csv")) {
      throw new AlgorithmException(
          "channel '"
              + channel.name()
              + "' has ContentType "
              + channel.contentType()
              + "; Sagebrush reads text/csv and application/x-recordio-protobuf for this"
              + " algorithm");
    }
    int labels = defaultLabelColumns;
    String labelSize = channel.parameters().get("label_size");
    if (labelSize != null) {
      try {
        labels = Integer.parseInt(labelSize);
      } catch (NumberFormatException e) {
        labels = -1;
      }
      if (labels < 0 || labels > 1) {
        throw new AlgorithmException(
            "channel '"
                + channel.name()
                + "' ContentType parameter label_size must be 0 or 1, got '"
                + labelSize
                + "'");
      }
    }
    CsvReader reader = new CsvReader(labels, false, false);
    if (labels > 0 && labelRule != null) {
      reader.withLabelRule(labelRule);
    }
    return reader.read(files, expectedCols);
  }
}
