package io.capdjava.docker.loadbalancer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The part of Go's {@code text/template} that haproxy configuration templates written for upstream CAPD use, so a
 * user's {@code customHAProxyConfigTemplateRef} works unchanged: {@code {{ .Field }}}, variables ({@code $},
 * {@code $x.Field}), {@code if / else if / else / end}, {@code range $k, $v := ...} (maps in key order, as Go does),
 * function calls ({@code JoinHostPort a b}, {@code eq}, {@code ne}, {@code not}, {@code and}, {@code or},
 * {@code len}, {@code printf} with %s/%d/%v), trim markers ({@code {{-}} and {@code -}}}) and comments. Anything
 * else is a {@link TemplateException} naming the construct.
 */
final class GoTextTemplate {
  /** A template that cannot be parsed or executed; the message says where. */
  static final class TemplateException extends RuntimeException {
    TemplateException(String message) {
      super(message);
    }
  }

  private sealed interface Node permits Text, Output, If, Range {}

  private record Text(String text) implements Node {}

  private record Output(String expr) implements Node {}

  private record If(List<String> conditions, List<List<Node>> branches, List<Node> otherwise) implements Node {}

  private record Range(String keyVar, String valueVar, String expr, List<Node> body, List<Node> otherwise)
      implements Node {}

  private final List<Node> root;
  private final Map<String, Function<List<Object>, Object>> functions = new HashMap<>();

  private GoTextTemplate(List<Node> root) {
    this.root = root;
    functions.put("JoinHostPort", a -> joinHostPort(str(a.get(0)), str(a.get(1))));
    functions.put("eq", a -> str(a.get(0)).equals(str(a.get(1))));
    functions.put("ne", a -> !str(a.get(0)).equals(str(a.get(1))));
    functions.put("not", a -> !truthy(a.get(0)));
    functions.put("and", a -> a.stream().allMatch(GoTextTemplate::truthy));
    functions.put("or", a -> a.stream().anyMatch(GoTextTemplate::truthy));
    functions.put("len", a -> a.get(0) instanceof Map<?, ?> m ? m.size()
        : a.get(0) instanceof Collection<?> c ? c.size() : str(a.get(0)).length());
    functions.put("printf", a -> String.format(str(a.get(0)).replace("%v", "%s").replace("%d", "%s"),
        a.subList(1, a.size()).stream().map(GoTextTemplate::str).toArray()));
  }

  static GoTextTemplate parse(String template) {
    Deque<Token> tokens = new ArrayDeque<>(tokenize(template));
    List<Node> nodes = parseList(tokens, List.of());
    if (!tokens.isEmpty()) throw new TemplateException("unexpected {{" + tokens.peek().action + "}}");
    return new GoTextTemplate(nodes);
  }

  String execute(Map<String, Object> data) {
    StringBuilder out = new StringBuilder();
    Map<String, Object> vars = new HashMap<>();
    vars.put("$", data);
    run(root, data, vars, out);
    return out.toString();
  }

  // --- lexing: text and actions, with trim markers applied to the neighbouring text ---

  private record Token(String text, String action) {}

  private static List<Token> tokenize(String template) {
    List<Token> tokens = new ArrayList<>();
    int pos = 0;
    boolean trimNextText = false;
    while (pos < template.length()) {
      int open = template.indexOf("{{", pos);
      String text = open < 0 ? template.substring(pos) : template.substring(pos, open);
      if (trimNextText) text = text.stripLeading();
      if (open < 0) {
        if (!text.isEmpty()) tokens.add(new Token(text, null));
        break;
      }
      int close = template.indexOf("}}", open);
      if (close < 0) throw new TemplateException("unclosed action at offset " + open);
      String action = template.substring(open + 2, close);
      if (action.startsWith("- ") || action.equals("-")) {
        text = text.stripTrailing();
        action = action.substring(1);
      }
      trimNextText = action.endsWith(" -") || action.equals("-");
      if (trimNextText) action = action.substring(0, action.length() - 1);
      if (!text.isEmpty()) tokens.add(new Token(text, null));
      action = action.strip();
      if (!(action.startsWith("/*") && action.endsWith("*/"))) tokens.add(new Token(null, action));
      pos = close + 2;
    }
    return tokens;
  }

  // --- parsing into a tree ---

  private static List<Node> parseList(Deque<Token> tokens, List<String> terminators) {
    List<Node> nodes = new ArrayList<>();
    while (!tokens.isEmpty()) {
      Token t = tokens.peek();
      if (t.text != null) {
        nodes.add(new Text(tokens.pop().text));
        continue;
      }
      String keyword = t.action.split("\\s+", 2)[0];
      if (terminators.contains(keyword)) return nodes;
      tokens.pop();
      switch (keyword) {
        case "if" -> nodes.add(parseIf(t.action.substring(2).strip(), tokens));
        case "range" -> nodes.add(parseRange(t.action.substring(5).strip(), tokens));
        case "else", "end" -> throw new TemplateException("{{" + t.action + "}} without a matching if or range");
        case "with", "define", "template", "block" ->
            throw new TemplateException("{{" + keyword + "}} is not supported in load balancer templates");
        default -> nodes.add(new Output(t.action));
      }
    }
    if (!terminators.isEmpty()) throw new TemplateException("missing {{end}}");
    return nodes;
  }

  private static If parseIf(String condition, Deque<Token> tokens) {
    List<String> conditions = new ArrayList<>(List.of(condition));
    List<List<Node>> branches = new ArrayList<>();
    List<Node> otherwise = List.of();
    while (true) {
      branches.add(parseList(tokens, List.of("else", "end")));
      if (tokens.isEmpty()) throw new TemplateException("missing {{end}} after {{if " + condition + "}}");
      Token t = tokens.pop();
      if (t.action.equals("end")) break;
      String rest = t.action.substring(4).strip();
      if (rest.startsWith("if ")) {
        conditions.add(rest.substring(3).strip());
        continue;
      }
      otherwise = parseList(tokens, List.of("end"));
      if (tokens.isEmpty()) throw new TemplateException("missing {{end}} after {{else}}");
      tokens.pop();
      break;
    }
    return new If(conditions, branches, otherwise);
  }

  private static Range parseRange(String spec, Deque<Token> tokens) {
    String keyVar = null;
    String valueVar = null;
    String expr = spec;
    int assign = spec.indexOf(":=");
    if (assign >= 0) {
      String[] vars = spec.substring(0, assign).split(",");
      expr = spec.substring(assign + 2).strip();
      if (vars.length == 2) {
        keyVar = vars[0].strip();
        valueVar = vars[1].strip();
      } else {
        valueVar = vars[0].strip();
      }
    }
    List<Node> body = parseList(tokens, List.of("else", "end"));
    List<Node> otherwise = List.of();
    if (tokens.isEmpty()) throw new TemplateException("missing {{end}} after {{range " + spec + "}}");
    if (tokens.pop().action.equals("else")) {
      otherwise = parseList(tokens, List.of("end"));
      if (tokens.isEmpty()) throw new TemplateException("missing {{end}} after {{range " + spec + "}}");
      tokens.pop();
    }
    return new Range(keyVar, valueVar, expr, body, otherwise);
  }

  // --- execution ---

  private void run(List<Node> nodes, Object dot, Map<String, Object> vars, StringBuilder out) {
    for (Node node : nodes) {
      if (node instanceof Text t) {
        out.append(t.text());
      } else if (node instanceof Output o) {
        out.append(str(eval(o.expr(), dot, vars)));
      } else if (node instanceof If i) {
        boolean done = false;
        for (int b = 0; b < i.conditions().size() && !done; b++) {
          if (truthy(eval(i.conditions().get(b), dot, vars))) {
            run(i.branches().get(b), dot, new HashMap<>(vars), out);
            done = true;
          }
        }
        if (!done) run(i.otherwise(), dot, new HashMap<>(vars), out);
      } else if (node instanceof Range r) {
        runRange(r, dot, vars, out);
      }
    }
  }

  private void runRange(Range r, Object dot, Map<String, Object> vars, StringBuilder out) {
    Object over = eval(r.expr(), dot, vars);
    List<Map.Entry<Object, Object>> items = new ArrayList<>();
    if (over instanceof Map<?, ?> map) {
      new TreeMap<Object, Object>(map).forEach((k, v) -> items.add(Map.entry(k, v)));
    } else if (over instanceof Collection<?> list) {
      int i = 0;
      for (Object v : list) items.add(Map.entry(i++, v));
    } else if (over != null) {
      throw new TemplateException("range over " + r.expr() + ", which is neither a map nor a list");
    }
    if (items.isEmpty()) {
      run(r.otherwise(), dot, new HashMap<>(vars), out);
      return;
    }
    for (Map.Entry<Object, Object> item : items) {
      Map<String, Object> scope = new HashMap<>(vars);
      if (r.keyVar() != null) scope.put(r.keyVar(), item.getKey());
      if (r.valueVar() != null) scope.put(r.valueVar(), item.getValue());
      run(r.body(), item.getValue(), scope, out);
    }
  }

  private Object eval(String expr, Object dot, Map<String, Object> vars) {
    List<String> words = words(expr);
    if (words.isEmpty()) throw new TemplateException("empty action");
    if (words.size() > 1 || functions.containsKey(words.get(0))) {
      Function<List<Object>, Object> f = functions.get(words.get(0));
      if (f == null) throw new TemplateException("function \"" + words.get(0) + "\" not defined");
      List<Object> args = new ArrayList<>();
      for (String w : words.subList(1, words.size())) args.add(operand(w, dot, vars));
      return f.apply(args);
    }
    return operand(words.get(0), dot, vars);
  }

  private static Object operand(String word, Object dot, Map<String, Object> vars) {
    if (word.startsWith("(") && word.endsWith(")")) {
      throw new TemplateException("parenthesised pipelines are not supported: " + word);
    }
    if (word.startsWith("\"")) return word.substring(1, word.length() - 1).replace("\\\"", "\"");
    if (word.equals("true") || word.equals("false")) return Boolean.parseBoolean(word);
    if (word.matches("-?\\d+")) return Long.parseLong(word);
    Object base;
    String path;
    if (word.startsWith("$")) {
      int dotAt = word.indexOf('.');
      String name = dotAt < 0 ? word : word.substring(0, dotAt);
      if (!vars.containsKey(name)) throw new TemplateException("undefined variable: " + name);
      base = vars.get(name);
      path = dotAt < 0 ? "" : word.substring(dotAt + 1);
    } else if (word.startsWith(".")) {
      base = dot;
      path = word.substring(1);
    } else {
      throw new TemplateException("unexpected \"" + word + "\" in template");
    }
    for (String field : path.isEmpty() ? new String[0] : path.split("\\.")) {
      if (!(base instanceof Map<?, ?> map) || !map.containsKey(field)) {
        throw new TemplateException("can't evaluate field " + field + " in " + word);
      }
      base = map.get(field);
    }
    return base;
  }

  private static List<String> words(String expr) {
    List<String> words = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : expr.toCharArray()) {
      if (c == '"' && (current.isEmpty() || current.charAt(current.length() - 1) != '\\')) quoted = !quoted;
      if (Character.isWhitespace(c) && !quoted) {
        if (!current.isEmpty()) words.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (!current.isEmpty()) words.add(current.toString());
    if (words.contains("|")) throw new TemplateException("pipelines with | are not supported: " + expr);
    return words;
  }

  static boolean truthy(Object v) {
    if (v == null) return false;
    if (v instanceof Boolean b) return b;
    if (v instanceof Number n) return n.doubleValue() != 0;
    if (v instanceof String s) return !s.isEmpty();
    if (v instanceof Map<?, ?> m) return !m.isEmpty();
    if (v instanceof Collection<?> c) return !c.isEmpty();
    return true;
  }

  private static String str(Object v) {
    return v == null ? "<no value>" : v.toString();
  }

  /** Go's {@code net.JoinHostPort}: IPv6 addresses are bracketed. */
  static String joinHostPort(String host, String port) {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
