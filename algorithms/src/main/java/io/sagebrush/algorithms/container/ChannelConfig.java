package io.sagebrush.algorithms.container;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * One input channel from {@code inputdataconfig.json}.
 *
 * @param name channel name, e.g. {@code train}
 * @param contentType the declared ContentType, or null when absent
 * @param dir the channel's directory under {@code input/data}
 */
public record ChannelConfig(String name, String contentType, Path dir) {
  /** The media type without parameters, lower-cased ({@code text/csv}), or null. */
  public String mediaType() {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  /** Content type parameters such as {@code label_size}, keys lower-cased. */
  public Map<String, String> parameters() {
    return ContentTypes.parameters(contentType);
  }
}
