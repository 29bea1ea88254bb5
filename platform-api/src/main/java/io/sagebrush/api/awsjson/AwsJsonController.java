package io.sagebrush.api.awsjson;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /} with {@code X-Amz-Target: <Service>.<Operation>}: the AWS JSON 1.1 edge. */
@RestController
public class AwsJsonController {
  public static final String TARGET_HEADER = "X-Amz-Target";
  private final Map<String, AwsOperation<?>> operations = new HashMap<>();
  private final AwsJsonMapper json;

  public AwsJsonController(List<AwsOperationProvider> providers, AwsJsonMapper json) {
    this.json = json;
    for (AwsOperationProvider provider : providers) {
      for (AwsOperation<?> operation : provider.operations()) {
        if (operations.put(operation.target(), operation) != null) {
          throw new IllegalStateException("operation registered twice: " + operation.target());
        }
      }
    }
  }

  /**
   * Steps: 1. find the operation named by X-Amz-Target; 2. parse the body (already verified by the
   * SigV4 filter); 3. bind it to the operation's input record and run it; 4. answer its output.
   */
  @PostMapping(path = "/", headers = TARGET_HEADER)
  public ResponseEntity<byte[]> invoke(
      @RequestHeader(TARGET_HEADER) String target, @RequestBody(required = false) byte[] body) {
    AwsOperation<?> operation = operations.get(target.trim());
    if (operation == null) {
      throw new SagebrushException(
          ErrorCode.UNKNOWN_OPERATION,
          "Operation " + target.trim() + " is not supported by Sagebrush.");
    }
    JsonNode parsed = json.readBody(body);
    Object output = operation.invoke(json, parsed);
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_TYPE, AwsErrors.CONTENT_TYPE)
        .body(json.write(output));
  }

  /** {@code POST /} without X-Amz-Target. */
  @PostMapping(path = "/", headers = "!" + TARGET_HEADER)
  public ResponseEntity<byte[]> missingTarget() {
    throw new SagebrushException(
        ErrorCode.UNKNOWN_OPERATION, "Missing X-Amz-Target header naming the operation.");
  }

  /** The operation targets served, for diagnostics and tests. */
  public java.util.Set<String> targets() {
    return java.util.Collections.unmodifiableSet(operations.keySet());
  }
}
