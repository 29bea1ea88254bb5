package io.sagebrush.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A botocore service model (test data under {@code botocore/}) that checks a JSON document against
 * one of its shapes as an SDK would read it: every member exists in the shape, required members are
 * present, enums hold allowed values, timestamps are numbers, numbers and booleans have their JSON
 * types.
 */
public final class BotocoreModel {
  private final JsonNode shapes;

  private BotocoreModel(JsonNode shapes) {
    this.shapes = shapes;
  }

  public static BotocoreModel load(String service) {
    String resource = "/botocore/" + service + ".service-2.json.gz";
    try (InputStream in = BotocoreModel.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new BotocoreModel(new ObjectMapper().readTree(new GZIPInputStream(in)).get("shapes"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The output shape name of an operation. */
  public String outputShape(String operation, JsonNode model) {
    return model.get("operations").get(operation).get("output").get("shape").asText();
  }

  /** Every way {@code value} breaks {@code shapeName}; empty when it conforms. */
  public List<String> violations(String shapeName, JsonNode value) {
    List<String> out = new ArrayList<>();
    check(shapeName, value, shapeName, out);
    return out;
  }

  private void check(String shapeName, JsonNode value, String path, List<String> out) {
    JsonNode shape = shapes.get(shapeName);
    if (shape == null) {
      out.add(path + ": unknown shape " + shapeName);
      return;
    }
    String type = shape.get("type").asText();
    switch (type) {
      case "structure" -> {
        if (!value.isObject()) {
          out.add(path + ": expected an object for " + shapeName);
          return;
        }
        JsonNode members = shape.get("members");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          JsonNode member = members.get(e.getKey());
          if (member == null) {
            out.add(path + "." + e.getKey() + ": not a member of " + shapeName);
          } else if (e.getValue().isNull()) {
            out.add(path + "." + e.getKey() + ": null (absent members must be omitted)");
          } else {
            check(member.get("shape").asText(), e.getValue(), path + "." + e.getKey(), out);
          }
        }
        if (shape.has("required")) {
          for (JsonNode required : shape.get("required")) {
            if (!value.has(required.asText())) {
              out.add(path + ": required member " + required.asText() + " missing");
            }
          }
        }
      }
      case "list" -> {
        if (!value.isArray()) {
          out.add(path + ": expected an array");
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          check(shape.get("member").get("shape").asText(), value.get(i), path + "[" + i + "]", out);
        }
      }
      case "map" -> {
        if (!value.isObject()) {
          out.add(path + ": expected an object (map)");
          return;
        }
        value
            .fields()
            .forEachRemaining(
                e ->
                    check(
                        shape.get("value").get("shape").asText(),
                        e.getValue(),
                        path + "{" + e.getKey() + "}",
                        out));
      }
      case "string" -> {
        if (!value.isTextual()) {
          out.add(path + ": expected a string");
        } else if (shape.has("enum")) {
          boolean ok = false;
          for (JsonNode allowed : shape.get("enum")) {
            ok |= allowed.asText().equals(value.asText());
          }
          if (!ok) {
            out.add(path + ": '" + value.asText() + "' not in enum " + shapeName);
          }
        }
      }
      case "timestamp" -> {
        if (!value.isNumber()) {
          out.add(path + ": timestamp must be a JSON number, was " + value);
        }
      }
      case "integer", "long" -> {
        if (!value.isIntegralNumber()) {
          out.add(path + ": expected an integer, was " + value);
        }
      }
      case "float", "double" -> {
        if (!value.isNumber()) {
          out.add(path + ": expected a number");
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          out.add(path + ": expected a boolean");
        }
      }
      default -> {
        // blobs and documents are not used by these operations
      }
    }
  }
}
