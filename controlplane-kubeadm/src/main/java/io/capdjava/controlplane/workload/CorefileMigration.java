package io.capdjava.controlplane.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * CoreDNS's Corefile carried from one CoreDNS release to a later one, as upstream KCP does with the
 * {@code coredns/corefile-migration} library (v1.0.35) before it changes the CoreDNS image: the Corefile is parsed
 * (caddyfile tokens: server blocks, plugins, options), each release's plugin migrations on the way are applied, and it
 * is written back in the library's layout (4-space indents, one blank line between server blocks).
 *
 * <p>Releases from CoreDNS 1.11.0 on are known; those are what Kubernetes 1.30 and later deploy, below the oldest
 * workload version CAPI v1.14 supports (1.31, CoreDNS 1.11.3). Between them the library's only rewrite is the
 * {@code kubernetes} plugin's {@code endpoint} option keeping its first address. A Corefile of an older CoreDNS is
 * refused with the versions this provider can migrate (the library would also migrate from 1.1.4 on).
 */
public final class CorefileMigration {
  /** Known releases in order, as the library chains them ({@code nextVersion}); 1.11.2 and 1.14.5 were never released. */
  static final List<String> RELEASES = List.of(
      "1.11.0", "1.11.1", "1.11.3", "1.11.4",
      "1.12.0", "1.12.1", "1.12.2", "1.12.3", "1.12.4",
      "1.13.0", "1.13.1", "1.13.2",
      "1.14.0", "1.14.1", "1.14.2", "1.14.3", "1.14.4", "1.14.6", "1.14.7");
  private static final int INDENT = 4;

  private CorefileMigration() {}

  /** Whether {@code majorMinorPatch} is a release this migration knows (upstream checks the from-version so). */
  public static boolean known(String majorMinorPatch) {
    return RELEASES.contains(majorMinorPatch);
  }

  /**
   * The Corefile for CoreDNS {@code to}, from one written for {@code from} (both {@code major.minor.patch}); unchanged
   * when they are equal.
   *
   * @throws IllegalArgumentException when {@code from} is unknown or {@code to} is not a later known release
   */
  public static String migrate(String from, String to, String corefile) {
    if (from.equals(to)) return corefile;
    if (!known(from)) {
      throw new IllegalArgumentException("start version '" + from + "' not supported (this provider migrates"
          + " Corefiles from CoreDNS " + RELEASES.get(0) + " on)");
    }
    int fromIndex = RELEASES.indexOf(from);
    int toIndex = RELEASES.indexOf(to);
    if (toIndex <= fromIndex) {
      throw new IllegalArgumentException("cannot migrate up to '" + to + "' from '" + from + "'");
    }
    List<Server> servers = parse(corefile);
    for (int i = fromIndex + 1; i <= toIndex; i++) {
      for (Server server : servers) {
        for (Plugin plugin : server.plugins) {
          if (!plugin.name.equals("kubernetes")) continue;
          for (Option option : plugin.options) {
            // kubernetes v8 (every release from 1.11.0 on): endpoint keeps its first address only
            if (option.name.equals("endpoint") && option.args.size() > 1) option.args.subList(1, option.args.size()).clear();
          }
        }
      }
    }
    return print(servers);
  }

  record Token(String text, int line) {}

  record Server(List<String> keys, List<Plugin> plugins) {}

  record Plugin(String name, List<String> args, List<Option> options) {}

  record Option(String name, List<String> args) {}

  /** The library's reading: depth 0 lines are server keys, depth 1 plugins, depth 2 options; deeper lines are dropped. */
  static List<Server> parse(String corefile) {
    List<Token> tokens = tokens(corefile);
    List<Server> servers = new ArrayList<>();
    Server server = null;
    Plugin plugin = null;
    int depth = 0;
    int i = 0;
    while (i < tokens.size()) {
      Token token = tokens.get(i++);
      if (token.text.equals("{")) {
        depth++;
        continue;
      }
      if (token.text.equals("}")) {
        depth--;
        continue;
      }
      // the rest of the line, up to an opening brace (left for the next round)
      List<String> args = new ArrayList<>();
      int line = token.line;
      while (i < tokens.size() && tokens.get(i).line == line && !tokens.get(i).text.equals("{")) {
        line = tokens.get(i).line;
        args.add(tokens.get(i++).text);
      }
      switch (depth) {
        case 0 -> {
          List<String> keys = new ArrayList<>();
          keys.add(token.text);
          keys.addAll(args);
          server = new Server(keys, new ArrayList<>());
          servers.add(server);
        }
        case 1 -> {
          if (server == null) throw new IllegalArgumentException("Corefile: plugin '" + token.text + "' outside a server block");
          plugin = new Plugin(token.text, args, new ArrayList<>());
          server.plugins.add(plugin);
        }
        case 2 -> {
          if (plugin == null) throw new IllegalArgumentException("Corefile: option '" + token.text + "' outside a plugin");
          plugin.options.add(new Option(token.text, args));
        }
        default -> { }
      }
    }
    return servers;
  }

  /** Caddyfile tokens: whitespace separates, double quotes group (backslash escapes a quote), '#' comments to the end of the line. */
  static List<Token> tokens(String text) {
    List<Token> tokens = new ArrayList<>();
    StringBuilder value = new StringBuilder();
    boolean quoted = false;
    boolean escaped = false;
    boolean comment = false;
    boolean inToken = false;
    int line = 1;
    int tokenLine = 1;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (!escaped && ch == '\\') {
          escaped = true;
          continue;
        }
        if (!escaped && ch == '"') {
          quoted = false;
          tokens.add(new Token(value.toString(), tokenLine));
          value.setLength(0);
          inToken = false;
          continue;
        }
        if (escaped && ch != '"') value.append('\\');
        if (ch == '\n') line++;
        value.append(ch);
        escaped = false;
        continue;
      }
      if (Character.isWhitespace(ch)) {
        if (ch == '\n') {
          comment = false;
        }
        if (inToken) {
          tokens.add(new Token(value.toString(), tokenLine));
          value.setLength(0);
          inToken = false;
        }
        if (ch == '\n') line++;
        continue;
      }
      if (ch == '#') comment = true;
      if (comment) continue;
      if (!inToken) {
        inToken = true;
        tokenLine = line;
        if (ch == '"') {
          quoted = true;
          continue;
        }
      }
      value.append(ch);
    }
    if (inToken) tokens.add(new Token(value.toString(), tokenLine));
    return tokens;
  }

  /** The library's {@code ToString}. */
  static String print(List<Server> servers) {
    List<String> blocks = new ArrayList<>();
    for (Server server : servers) {
      StringBuilder s = new StringBuilder(String.join(" ", escape(server.keys)));
      if (!server.plugins.isEmpty()) {
        List<String> plugins = new ArrayList<>();
        for (Plugin plugin : server.plugins) plugins.add(" ".repeat(INDENT) + print(plugin));
        s.append(" {\n").append(String.join("\n", plugins)).append("\n}\n");
      }
      blocks.add(s.toString());
    }
    return String.join("\n", blocks);
  }

  private static String print(Plugin plugin) {
    List<String> words = new ArrayList<>();
    words.add(plugin.name);
    words.addAll(escape(plugin.args));
    StringBuilder s = new StringBuilder(String.join(" ", words));
    if (!plugin.options.isEmpty()) {
      List<String> options = new ArrayList<>();
      for (Option option : plugin.options) {
        List<String> o = new ArrayList<>();
        o.add(option.name);
        o.addAll(escape(option.args));
        options.add(" ".repeat(INDENT * 2) + String.join(" ", o));
      }
      s.append(" {\n").append(String.join("\n", options)).append("\n").append(" ".repeat(INDENT)).append("}");
    }
    return s.toString();
  }

  /** Arguments containing whitespace are quoted, their quotes escaped. */
  private static List<String> escape(List<String> args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      out.add(a.strip().split("\\s+").length > 1 ? "\"" + a.replace("\"", "\\\"") + "\"" : a);
    }
    return out;
  }
}
