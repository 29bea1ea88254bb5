package io.sagebrush.api.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebrush.api.awsjson.AwsJsonMapper;
import io.sagebrush.api.awsjson.AwsOperation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * CloudWatch over Smithy rpc-v2-cbor, the protocol of the AWS CLI and boto3: {@code POST
 * /service/GraniteServiceVersion20100801/operation/<Operation>} with a CBOR body (SigV4-verified by
 * the authentication filter), answered in CBOR with {@code smithy-protocol: rpc-v2-cbor}.
 */
@RestController
public class CloudWatchRpcController {
  static final String PATH = "/service/GraniteServiceVersion20100801/operation/";
  static final String CBOR = "application/cbor";
  static final String PROTOCOL_HEADER = "smithy-protocol";
  static final String PROTOCOL = "rpc-v2-cbor";

  private final CloudWatchOperations operations;
  private final CloudWatchCodecs codecs;
  private final AwsJsonMapper json;

  public CloudWatchRpcController(
      CloudWatchOperations operations, CloudWatchCodecs codecs, AwsJsonMapper json) {
    this.operations = operations;
    this.codecs = codecs;
    this.json = json;
  }

  /** Steps: 1. find the operation; 2. decode the CBOR body; 3. bind and run; 4. encode. */
  @PostMapping(PATH + "{operation}")
  public ResponseEntity<byte[]> invoke(
      @PathVariable("operation") String operation, HttpServletRequest request) throws IOException {
    AwsOperation<?> op = operations.operation(operation);
    JsonNode body = codecs.readCbor(request.getInputStream().readAllBytes());
    Object output = run(op, body, json);
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_TYPE, CBOR)
        .header(PROTOCOL_HEADER, PROTOCOL)
        .body(codecs.writeCbor(output));
  }

  /**
   * rpc-v2-cbor for a service Sagebrush does not offer on this path: an error in the same shape.
   */
  @PostMapping("/service/{service}/operation/{operation}")
  public ResponseEntity<byte[]> otherService(
      @PathVariable("service") String service, @PathVariable("operation") String operation) {
    throw new CloudWatchException(
        CloudWatchError.INVALID_ACTION,
        "The service " + service + " is not offered over rpc-v2-cbor by Sagebrush.");
  }

  static <I> Object run(AwsOperation<I> op, JsonNode body, AwsJsonMapper json) {
    return op.handler().handle(json.bind(body, op.inputType()), body);
  }
}
