package io.sagebrush.api.cloudwatch;

import io.sagebrush.api.awsjson.AwsJsonController;
import io.sagebrush.api.awsjson.AwsJsonMapper;
import io.sagebrush.api.awsjson.AwsOperation;
import io.sagebrush.api.awsjson.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * CloudWatch over AWS Query, the protocol of the AWS SDK for Java v2's CloudWatchClient: {@code
 * POST /} with a form body {@code Action=<Operation>&Version=2010-08-01&...}, answered in XML.
 */
@RestController
public class CloudWatchQueryController {
  static final String VERSION = "2010-08-01";

  private final CloudWatchOperations operations;
  private final CloudWatchCodecs codecs;
  private final AwsJsonMapper json;

  public CloudWatchQueryController(
      CloudWatchOperations operations, CloudWatchCodecs codecs, AwsJsonMapper json) {
    this.operations = operations;
    this.codecs = codecs;
    this.json = json;
  }

  @PostMapping(
      path = "/",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
      headers = "!" + AwsJsonController.TARGET_HEADER)
  public ResponseEntity<byte[]> invoke(HttpServletRequest request) throws IOException {
    CloudWatchCodecs.QueryRequest query = codecs.readQuery(request.getInputStream().readAllBytes());
    if (query.action() == null || query.action().isBlank()) {
      throw new CloudWatchException(
          CloudWatchError.INVALID_ACTION, "The request must name an Action.");
    }
    if (query.version() != null && !VERSION.equals(query.version())) {
      throw new CloudWatchException(
          CloudWatchError.INVALID_ACTION,
          "Version " + query.version() + " is not supported; CloudWatch is " + VERSION + ".");
    }
    AwsOperation<?> op = operations.operation(query.action());
    Object output = CloudWatchRpcController.run(op, query.parameters(), json);
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_XML_VALUE)
        .body(codecs.writeQuery(query.action(), output, RequestIds.of(request)));
  }
}
