package io.sagebrush.api.awsjson;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.stereotype.Component;

/**
 * The JSON conventions of the AWS JSON 1.1 protocol: unknown members ignored, absent members
 * omitted, timestamps as epoch seconds with millisecond decimals on output and any JSON number
 * (integer, decimal, scientific) or ISO-8601 string on input. Deliberately not an {@code
 * ObjectMapper} bean: the agent API keeps Spring's ISO-8601 mapper.
 */
@Component
public class AwsJsonMapper {
  private final ObjectMapper mapper;

  public AwsJsonMapper() {
    SimpleModule time = new SimpleModule("aws-epoch-seconds");
    time.addSerializer(Instant.class, new EpochSecondsSerializer());
    time.addDeserializer(Instant.class, new EpochSecondsDeserializer());
    this.mapper =
        JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(time)
            .build();
  }

  /** The configured mapper. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Parses a request body; an empty body is {@code {}}.
   *
   * @throws SagebrushException SERIALIZATION when it is not a JSON object
   */
  public JsonNode readBody(byte[] body) {
    if (body == null || body.length == 0) {
      return mapper.createObjectNode();
    }
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || node.isMissingNode()) {
        return mapper.createObjectNode();
      }
      if (!node.isObject()) {
        throw new SagebrushException(
            ErrorCode.SERIALIZATION, "The request body must be a JSON object.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new SagebrushException(
          ErrorCode.SERIALIZATION, "Malformed JSON in the request body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new SagebrushException(ErrorCode.SERIALIZATION, "Unreadable request body.");
    }
  }

  /**
   * Binds a parsed body to a wire record.
   *
   * @throws SagebrushException SERIALIZATION when a member has the wrong JSON type
   */
  public <T> T bind(JsonNode node, Class<T> type) {
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String detail =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new SagebrushException(
          ErrorCode.SERIALIZATION, "Cannot read the request: " + firstLine(detail));
    }
  }

  /** Serializes a response; null becomes {@code {}}. */
  public byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value == null ? mapper.createObjectNode() : value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
    }
  }

  /** An instant as the wire number: epoch seconds with three decimals. */
  public static BigDecimal toEpochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }

  /** The instant a wire number (epoch seconds, fraction allowed) stands for, to the millisecond. */
  public static Instant fromEpochSeconds(BigDecimal seconds) {
    return Instant.ofEpochMilli(
        seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static final class EpochSecondsSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeNumber(toEpochSeconds(value));
    }
  }

  static final class EpochSecondsDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        return fromEpochSeconds(p.getDecimalValue());
      }
      if (token == JsonToken.VALUE_STRING) {
        String text = p.getText().trim();
        try {
          return fromEpochSeconds(new BigDecimal(text));
        } catch (NumberFormatException notNumber) {
          try {
            return Instant.parse(text);
          } catch (DateTimeParseException e) {
            return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not a timestamp");
          }
        }
      }
      return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
    }
  }
}
