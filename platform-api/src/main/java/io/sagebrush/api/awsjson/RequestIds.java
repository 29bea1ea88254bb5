package io.sagebrush.api.awsjson;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;

/** The per-request id sent as {@code x-amzn-RequestId} and quoted in internal failures. */
public final class RequestIds {
  public static final String ATTRIBUTE = RequestIds.class.getName();
  public static final String HEADER = "x-amzn-RequestId";

  private RequestIds() {}

  /** The request's id, assigned on first use. */
  public static String of(HttpServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    if (id == null) {
      id = UUID.randomUUID().toString();
      request.setAttribute(ATTRIBUTE, id);
    }
    return id.toString();
  }
}
