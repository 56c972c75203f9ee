package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Label and field selectors as kube-apiserver parses them from {@code labelSelector} and {@code fieldSelector},
 * turned into predicates on stored objects. Label selectors: {@code k=v}, {@code k==v}, {@code k!=v},
 * {@code k in (a,b)}, {@code k notin (a,b)}, {@code k} (exists), {@code !k} (does not exist), {@code k>1},
 * {@code k<1}; commas AND them. Field selectors: {@code path=v}, {@code path==v}, {@code path!=v} with any dotted
 * path ({@code metadata.name}, {@code spec.nodeName}, {@code status.phase} ...), a missing field being "".
 */
public final class Selectors {
  private static final Pattern SET_REQUIREMENT =
      Pattern.compile("^\\s*([^\\s!=<>(),]+)\\s+(in|notin)\\s*\\(([^()]*)\\)\\s*$");
  private static final Pattern OPERATOR_REQUIREMENT =
      Pattern.compile("^\\s*([^\\s!=<>(),]+)\\s*(==|!=|=|<|>)\\s*([^\\s!=<>(),]*)\\s*$");
  private static final Pattern EXISTS_REQUIREMENT = Pattern.compile("^\\s*(!?)\\s*([^\\s!=<>(),]+)\\s*$");

  private Selectors() {}

  /** The predicate of a label selector; everything for null or blank; 400 BadRequest when it does not parse. */
  public static Predicate<ObjectNode> labels(String selector) {
    if (selector == null || selector.isBlank()) return o -> true;
    Predicate<ObjectNode> all = o -> true;
    for (String requirement : splitTopLevel(selector)) {
      all = all.and(labelRequirement(requirement, selector));
    }
    return all;
  }

  /** The predicate of a field selector; everything for null or blank; 400 BadRequest when it does not parse. */
  public static Predicate<ObjectNode> fields(String selector) {
    if (selector == null || selector.isBlank()) return o -> true;
    Predicate<ObjectNode> all = o -> true;
    for (String term : splitUnescaped(selector, ',')) {
      all = all.and(fieldRequirement(term, selector));
    }
    return all;
  }

  private static Predicate<ObjectNode> labelRequirement(String requirement, String selector) {
    Matcher set = SET_REQUIREMENT.matcher(requirement);
    if (set.matches()) {
      String key = set.group(1);
      Set<String> values = Set.copyOf(splitValues(set.group(3)));
      boolean in = set.group(2).equals("in");
      return o -> {
        String value = label(o, key);
        return in ? value != null && values.contains(value) : value == null || !values.contains(value);
      };
    }
    Matcher operator = OPERATOR_REQUIREMENT.matcher(requirement);
    if (operator.matches()) {
      String key = operator.group(1);
      String wanted = operator.group(3);
      return switch (operator.group(2)) {
        case "=", "==" -> o -> wanted.equals(label(o, key));
        case "!=" -> o -> !wanted.equals(label(o, key));
        default -> {
          long bound = parseLong(wanted, selector);
          boolean greater = operator.group(2).equals(">");
          yield o -> {
            String value = label(o, key);
            if (value == null) return false;
            try {
              long number = Long.parseLong(value);
              return greater ? number > bound : number < bound;
            } catch (NumberFormatException e) {
              return false;
            }
          };
        }
      };
    }
    Matcher exists = EXISTS_REQUIREMENT.matcher(requirement);
    if (exists.matches()) {
      String key = exists.group(2);
      boolean negated = !exists.group(1).isEmpty();
      return o -> (label(o, key) != null) != negated;
    }
    throw ApiException.badRequest("unable to parse requirement: found '" + requirement.trim() + "' in label selector \""
        + selector + "\"");
  }

  private static Predicate<ObjectNode> fieldRequirement(String term, String selector) {
    String operator;
    int at;
    if ((at = indexOfUnescaped(term, "!=")) >= 0) {
      operator = "!=";
    } else if ((at = indexOfUnescaped(term, "==")) >= 0) {
      operator = "==";
    } else if ((at = indexOfUnescaped(term, "=")) >= 0) {
      operator = "=";
    } else {
      throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + term + "'");
    }
    String path = term.substring(0, at).trim();
    String wanted = unescape(term.substring(at + operator.length()).trim());
    if (path.isEmpty()) throw ApiException.badRequest("invalid field selector: '" + selector + "'");
    String[] segments = path.split("\\.");
    boolean equal = !operator.equals("!=");
    return o -> wanted.equals(field(o, segments)) == equal;
  }

  private static String label(ObjectNode object, String key) {
    JsonNode value = object.path("metadata").path("labels").get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** The text of a dotted path, "" when missing (as a field selector treats an unset field). */
  private static String field(ObjectNode object, String[] segments) {
    JsonNode node = object;
    for (String segment : segments) {
      node = node.path(segment);
    }
    return node.isValueNode() && !node.isNull() ? node.asText() : "";
  }

  /** Requirements split on commas outside parentheses. */
  private static List<String> splitTopLevel(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') depth++;
      if (c == ')') depth--;
      if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    for (String part : parts) {
      if (part.isBlank()) throw ApiException.badRequest("found empty requirement in label selector \"" + selector + "\"");
    }
    return parts;
  }

  private static List<String> splitValues(String values) {
    List<String> result = new ArrayList<>();
    for (String value : values.split(",", -1)) {
      result.add(value.trim());
    }
    return result;
  }

  /** Splits on {@code separator} not preceded by a backslash (field selector values escape {@code \ , =}). */
  private static List<String> splitUnescaped(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        current.append(c).append(text.charAt(++i));
      } else if (c == separator) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  private static int indexOfUnescaped(String text, String operator) {
    for (int i = 0; i <= text.length() - operator.length(); i++) {
      if (text.charAt(i) == '\\') {
        i++;
        continue;
      }
      if (text.startsWith(operator, i)) return i;
    }
    return -1;
  }

  private static String unescape(String value) {
    StringBuilder result = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) c = value.charAt(++i);
      result.append(c);
    }
    return result.toString();
  }

  private static long parseLong(String value, String selector) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid label selector \"" + selector + "\": " + value + " is not an integer");
    }
  }
}
