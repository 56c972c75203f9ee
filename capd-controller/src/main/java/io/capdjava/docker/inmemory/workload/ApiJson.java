package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;

/**
 * The JSON (and, for server-side apply bodies, YAML) codec of the simulated API server: one shared mapper, so that
 * objects are parsed and written the same way by the store, the patches and the request handling.
 */
final class ApiJson {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private ApiJson() {}

  /** Parses a request body as JSON, or as YAML when {@code yaml} (YAML being a superset, JSON still parses). */
  static JsonNode parse(byte[] body, boolean yaml) {
    if (body == null || body.length == 0) throw ApiException.badRequest("the request body is empty");
    try {
      JsonNode node = (yaml ? YAML : JSON).readTree(body);
      if (node == null || node.isMissingNode()) throw ApiException.badRequest("the request body is empty");
      return node;
    } catch (IOException e) {
      throw ApiException.badRequest("the body of the request was in an unknown format: " + firstLine(e.getMessage()));
    }
  }

  /** Parses a body that must be a JSON (or YAML) object. */
  static ObjectNode parseObject(byte[] body, boolean yaml) {
    JsonNode node = parse(body, yaml);
    if (!node.isObject()) throw ApiException.badRequest("the request body must be a JSON object");
    return (ObjectNode) node;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  static JsonNode read(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("stored JSON always parses", e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) return "";
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
