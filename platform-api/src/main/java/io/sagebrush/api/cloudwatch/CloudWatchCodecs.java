package io.sagebrush.api.cloudwatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The wire encodings of the CloudWatch protocols besides JSON: rpc-v2-cbor (timestamps as CBOR tag
 * 1 epoch seconds) and AWS Query (form-encoded requests with {@code .member.N} lists, XML responses
 * with ISO-8601 timestamps). Requests become a JSON tree bound like any other.
 */
@Component
public class CloudWatchCodecs {
  static final String XML_NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";

  /** Query list members that may come empty ({@code AlarmNames=}): an empty list. */
  private static final Set<String> LIST_MEMBERS =
      Set.of(
          "AlarmNames",
          "AlarmTypes",
          "AlarmActions",
          "OKActions",
          "InsufficientDataActions",
          "Dimensions",
          "Tags",
          "MetricData",
          "Values",
          "Counts",
          "Statistics",
          "ExtendedStatistics",
          "Metrics");

  private final CBORMapper cbor;
  private final ObjectMapper isoJson;

  public CloudWatchCodecs() {
    SimpleModule epoch = new SimpleModule("cbor-epoch-seconds");
    epoch.addSerializer(Instant.class, new CborTimestampSerializer());
    this.cbor =
        CBORMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(epoch)
            .build();
    SimpleModule iso = new SimpleModule("iso-timestamps");
    iso.addSerializer(Instant.class, new IsoTimestampSerializer());
    this.isoJson =
        JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(iso)
            .build();
  }

  // ---- rpc-v2-cbor ----

  /**
   * A CBOR request body as a tree (tagged timestamps become their epoch-second numbers); empty is
   * {@code {}}.
   *
   * @throws CloudWatchException when it is not a CBOR map
   */
  public JsonNode readCbor(byte[] body) {
    if (body == null || body.length == 0) {
      return JsonNodeFactory.instance.objectNode();
    }
    try {
      JsonNode node = cbor.readTree(body);
      if (node == null || node.isMissingNode() || node.isNull()) {
        return JsonNodeFactory.instance.objectNode();
      }
      if (!node.isObject()) {
        throw new CloudWatchException(
            CloudWatchError.VALIDATION, "The request body must be a CBOR map.");
      }
      return node;
    } catch (IOException e) {
      throw new CloudWatchException(
          CloudWatchError.VALIDATION, "Malformed CBOR in the request body.");
    }
  }

  /** An output record (null is an empty map) as CBOR. */
  public byte[] writeCbor(Object value) {
    try {
      return cbor.writeValueAsBytes(value == null ? Map.of() : value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getName(), e);
    }
  }

  // ---- AWS Query ----

  /** A Query request: its Action and its other parameters as a tree. */
  public record QueryRequest(String action, String version, ObjectNode parameters) {}

  /**
   * Parses a form-encoded Query body: {@code A.member.2.B=v} becomes {@code {"A": [.., {"B":
   * "v"}]}}; values stay strings (binding converts numbers, booleans and ISO-8601 times).
   */
  public QueryRequest readQuery(byte[] body) {
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    String action = null;
    String version = null;
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (key.equals("Action")) {
        action = value;
      } else if (key.equals("Version")) {
        version = value;
      } else {
        put(root, key.split("\\."), value);
      }
    }
    return new QueryRequest(action, version, root);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new CloudWatchException(
          CloudWatchError.VALIDATION, "The query string is malformed: " + s);
    }
  }

  private static void put(ObjectNode root, String[] path, String value) {
    JsonNode node = root;
    for (int i = 0; i < path.length; i++) {
      boolean last = i == path.length - 1;
      String seg = path[i];
      if (node instanceof ArrayNode array) {
        int index;
        try {
          index = Integer.parseInt(seg) - 1;
        } catch (NumberFormatException e) {
          throw new CloudWatchException(
              CloudWatchError.VALIDATION,
              "The parameter " + String.join(".", path) + " is not a valid list member.");
        }
        if (index < 0 || index > 10_000) {
          throw new CloudWatchException(
              CloudWatchError.VALIDATION,
              "The list index in " + String.join(".", path) + " is out of range.");
        }
        while (array.size() <= index) {
          array.add(JsonNodeFactory.instance.objectNode());
        }
        if (last) {
          array.set(index, JsonNodeFactory.instance.textNode(value));
          return;
        }
        node = array.get(index);
        continue;
      }
      ObjectNode object = (ObjectNode) node;
      boolean listNext = !last && path[i + 1].equals("member");
      if (last) {
        if (value.isEmpty() && LIST_MEMBERS.contains(seg)) {
          object.set(seg, JsonNodeFactory.instance.arrayNode());
        } else {
          object.put(seg, value);
        }
        return;
      }
      JsonNode child = object.get(seg);
      if (listNext) {
        if (!(child instanceof ArrayNode)) {
          child = object.putArray(seg);
        }
        i++; // skip "member"
      } else if (!(child instanceof ObjectNode)) {
        child = object.putObject(seg);
      }
      node = child;
    }
  }

  /**
   * The Query XML response of {@code action}: {@code
   * <ActionResponse><ActionResult>..</ActionResult>
   * <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></ActionResponse>}; lists as
   * {@code <member>} elements.
   */
  public byte[] writeQuery(String action, Object output, String requestId) {
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append('<').append(action).append("Response xmlns=\"").append(XML_NAMESPACE).append("\">");
    if (output != null) {
      JsonNode tree = isoJson.valueToTree(output);
      x.append('<').append(action).append("Result>");
      writeFields(x, tree);
      x.append("</").append(action).append("Result>");
    }
    x.append("<ResponseMetadata><RequestId>")
        .append(escape(requestId))
        .append("</RequestId></ResponseMetadata>");
    x.append("</").append(action).append("Response>");
    return x.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The Query XML error. */
  public byte[] writeQueryError(CloudWatchError error, String message, String requestId) {
    String x =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\""
            + XML_NAMESPACE
            + "\"><Error><Type>"
            + error.fault()
            + "</Type><Code>"
            + error.queryCode()
            + "</Code><Message>"
            + escape(message)
            + "</Message></Error><RequestId>"
            + escape(requestId)
            + "</RequestId></ErrorResponse>";
    return x.getBytes(StandardCharsets.UTF_8);
  }

  private static void writeFields(StringBuilder x, JsonNode object) {
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      x.append('<').append(f.getKey()).append('>');
      writeValue(x, f.getValue());
      x.append("</").append(f.getKey()).append('>');
    }
  }

  private static void writeValue(StringBuilder x, JsonNode value) {
    if (value.isObject()) {
      writeFields(x, value);
    } else if (value.isArray()) {
      for (JsonNode item : value) {
        x.append("<member>");
        writeValue(x, item);
        x.append("</member>");
      }
    } else {
      x.append(escape(value.asText()));
    }
  }

  private static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Timestamps as CBOR tag 1 (epoch seconds, milliseconds as the fraction). */
  static final class CborTimestampSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      double seconds = value.toEpochMilli() / 1000.0;
      if (gen instanceof CBORGenerator c) {
        c.writeTag(1);
      }
      gen.writeNumber(seconds);
    }
  }

  /** Timestamps as ISO-8601 with milliseconds, as AWS Query answers them. */
  static final class IsoTimestampSerializer extends JsonSerializer<Instant> {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      Instant ms = value.truncatedTo(ChronoUnit.MILLIS);
      String text = ISO.format(ms);
      if (ms.getNano() == 0) {
        text = text.substring(0, text.length() - 1) + ".000Z";
      }
      gen.writeString(text);
    }
  }
}
