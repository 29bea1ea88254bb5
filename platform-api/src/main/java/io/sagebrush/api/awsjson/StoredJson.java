package io.sagebrush.api.awsjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.common.error.SagebrushException;

/** Reads back the JSON the service stored itself (request members that Describe echoes). */
public final class StoredJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredJson() {}

  /**
   * The stored {@code json} as a tree.
   *
   * @param what what it is, for the error ({@code Stored <what> is not JSON})
   * @throws SagebrushException INTERNAL_FAILURE when it is not JSON (the store was tampered with)
   */
  public static JsonNode parse(String json, String what) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw SagebrushException.internal("Stored " + what + " is not JSON", e);
    }
  }
}
