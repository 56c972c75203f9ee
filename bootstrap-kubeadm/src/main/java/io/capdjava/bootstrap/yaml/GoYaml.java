package io.capdjava.bootstrap.yaml;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a JSON-like tree (maps with string keys, lists, strings, integers, booleans, null) exactly as Kubernetes'
 * {@code sigs.k8s.io/yaml.JSONToYAML} does, that is as go-yaml v2 marshals it: keys in go-yaml's natural order,
 * sequences not indented under their key, empty collections as {@code {}} / {@code []}, go-yaml's choice of plain,
 * single-quoted, double-quoted or literal scalars, and its folding of long lines at 80 columns. kubeadm configuration
 * rendered this way is byte-identical to upstream CABPK's.
 *
 * <p>The emitter is a port of the parts of go-yaml v2's {@code emitterc.go} this tree can reach.
 */
public final class GoYaml {
  private static final int BEST_INDENT = 2;
  private static final int BEST_WIDTH = 80;
  private static final Pattern BASE60_FLOAT = Pattern.compile("^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$");
  private static final Pattern YAML_STYLE_FLOAT = Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
  private static final List<String> RESOLVED_WORDS = List.of(
      "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
      "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
      "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
      "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF");

  private enum Style { PLAIN, SINGLE, DOUBLE, LITERAL }

  private final StringBuilder out = new StringBuilder();
  private final Deque<Integer> indents = new ArrayDeque<>();
  private int indent = -1;
  private int column = 0;
  private boolean whitespace = true;
  private boolean indention = true;
  private int flowLevel = 0;
  private boolean simpleKeyContext;
  private boolean mappingContext;

  private GoYaml() {}

  /** The YAML document for {@code tree}, ending with a newline. */
  public static String marshal(Object tree) {
    GoYaml e = new GoYaml();
    e.node(tree, false, false);
    e.writeIndent(); // document end
    return e.out.toString();
  }

  private void node(Object value, boolean mapping, boolean simpleKey) {
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty() || flowLevel > 0) emptyFlow('{', '}');
      else blockMapping(map);
    } else if (value instanceof List<?> list) {
      if (list.isEmpty() || flowLevel > 0) emptyFlow('[', ']');
      else blockSequence(list);
    } else {
      scalar(value);
    }
  }

  private void emptyFlow(char open, char close) {
    writeIndicator(String.valueOf(open), true, true, false);
    increaseIndent(true, false);
    flowLevel++;
    flowLevel--;
    popIndent();
    writeIndicator(String.valueOf(close), false, false, false);
  }

  private void blockMapping(Map<?, ?> map) {
    increaseIndent(false, false);
    List<String> keys = new ArrayList<>();
    for (Object k : map.keySet()) keys.add((String) k);
    keys.sort(GoYaml::keyLess);
    for (String key : keys) {
      writeIndent();
      if (isSimpleKey(key)) {
        node(key, true, true);
        writeIndicator(":", false, false, false);
      } else {
        writeIndicator("?", true, false, true);
        node(key, true, false);
        writeIndent();
        writeIndicator(":", true, false, true);
      }
      node(map.get(key), true, false);
    }
    popIndent();
  }

  private void blockSequence(List<?> list) {
    increaseIndent(false, mappingContext && !indention);
    for (Object item : list) {
      writeIndent();
      writeIndicator("-", true, false, true);
      node(item, false, false);
    }
    popIndent();
  }

  private void scalar(Object value) {
    String text;
    Style requested;
    if (value == null) {
      text = "null";
      requested = Style.PLAIN;
    } else if (value instanceof String s) {
      text = s;
      if (s.contains("\n")) requested = Style.LITERAL;
      else if (resolvesToString(s) && !BASE60_FLOAT.matcher(s).matches()) requested = Style.PLAIN;
      else requested = Style.DOUBLE;
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      text = value.toString();
      requested = Style.PLAIN;
    } else {
      throw new IllegalArgumentException("unsupported YAML value " + value.getClass().getName());
    }
    int[] cps = text.codePoints().toArray();
    Analysis a = analyze(cps);
    Style style = requested;
    if (simpleKeyContext && a.multiline) style = Style.DOUBLE;
    if (style == Style.PLAIN) {
      if ((flowLevel > 0 && !a.flowPlainAllowed) || (flowLevel == 0 && !a.blockPlainAllowed)) style = Style.SINGLE;
      if (cps.length == 0 && (flowLevel > 0 || simpleKeyContext)) style = Style.SINGLE;
    }
    if (style == Style.SINGLE && !a.singleQuotedAllowed) style = Style.DOUBLE;
    if (style == Style.LITERAL && (!a.blockAllowed || flowLevel > 0 || simpleKeyContext)) style = Style.DOUBLE;

    increaseIndent(true, false);
    switch (style) {
      case PLAIN -> writePlain(cps, !simpleKeyContext);
      case SINGLE -> writeSingleQuoted(cps, !simpleKeyContext);
      case DOUBLE -> writeDoubleQuoted(cps, !simpleKeyContext);
      case LITERAL -> writeLiteral(cps);
    }
    popIndent();
  }

  private boolean isSimpleKey(String key) {
    Analysis a = analyze(key.codePoints().toArray());
    return !a.multiline && key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 128;
  }

  // ---- go-yaml's resolve(): would this text read back as something other than a string?
  static boolean resolvesToString(String in) {
    if (RESOLVED_WORDS.contains(in)) return false;
    char hint = in.charAt(0);
    if (hint == '.') return !isGoFloat(in);
    if (hint == '+' || hint == '-' || (hint >= '0' && hint <= '9')) {
      if (isTimestamp(in)) return false;
      String plain = in.replace("_", "");
      if (isGoInt(plain)) return false;
      if (YAML_STYLE_FLOAT.matcher(plain).matches() && Double.isFinite(Double.parseDouble(plain))) return false;
    }
    return true;
  }

  // strconv.ParseInt/ParseUint with base 0 (underscores already removed): 0x, 0o, 0b, leading-0 octal or decimal
  private static boolean isGoInt(String s) {
    String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    int radix;
    String digits;
    if (lower.startsWith("0x")) {
      radix = 16;
      digits = t.substring(2);
    } else if (lower.startsWith("0o")) {
      radix = 8;
      digits = t.substring(2);
    } else if (lower.startsWith("0b")) {
      radix = 2;
      digits = t.substring(2);
    } else if (t.length() > 1 && t.startsWith("0")) {
      radix = 8;
      digits = t.substring(1);
    } else {
      radix = 10;
      digits = t;
    }
    if (digits.isEmpty()) return false;
    for (char ch : digits.toCharArray()) {
      if (ch > 127 || Character.digit(ch, radix) < 0) return false;
    }
    return new java.math.BigInteger(digits, radix).bitLength() <= 64;
  }

  // strconv.ParseFloat for inputs starting with '.': ".5", ".5e3", with Go's underscores between digits
  private static boolean isGoFloat(String s) {
    if (!s.matches("\\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?")) return false;
    return Double.isFinite(Double.parseDouble(s.replace("_", "")));
  }

  private static boolean isTimestamp(String s) {
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) i++;
    if (i != 4 || i == s.length() || s.charAt(i) != '-') return false;
    return s.matches("\\d{4}-\\d{1,2}-\\d{1,2}")
        || s.matches("\\d{4}-\\d{1,2}-\\d{1,2}[Tt]\\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})")
        || s.matches("\\d{4}-\\d{1,2}-\\d{1,2} \\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d{1,9})?");
  }

  // ---- go-yaml's key order (sorter.go keyList.Less for string keys)
  static int keyLess(String a, String b) {
    if (a.equals(b)) return 0;
    return less(a, b) ? -1 : 1;
  }

  private static boolean less(String as, String bs) {
    int[] ar = as.codePoints().toArray();
    int[] br = bs.codePoints().toArray();
    for (int i = 0; i < ar.length && i < br.length; i++) {
      if (ar[i] == br[i]) continue;
      boolean al = Character.isLetter(ar[i]);
      boolean bl = Character.isLetter(br[i]);
      if (al && bl) return ar[i] < br[i];
      if (al || bl) return bl;
      long an = 0;
      long bn = 0;
      if (ar[i] == '0' || br[i] == '0') {
        for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
          if (ar[j] != '0') {
            an = 1;
            bn = 1;
            break;
          }
        }
      }
      int ai;
      int bi;
      for (ai = i; ai < ar.length && Character.isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai] - '0');
      for (bi = i; bi < br.length && Character.isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi] - '0');
      if (an != bn) return an < bn;
      if (ai != bi) return ai < bi;
      return ar[i] < br[i];
    }
    return ar.length < br.length;
  }

  // ---- emitter state
  private void increaseIndent(boolean flow, boolean indentless) {
    indents.push(indent);
    if (indent < 0) indent = flow ? BEST_INDENT : 0;
    else if (!indentless) indent += BEST_INDENT;
  }

  private void popIndent() {
    indent = indents.pop();
  }

  private void put(int c) {
    out.appendCodePoint(c);
    column++;
  }

  private void putBreak() {
    out.append('\n');
    column = 0;
  }

  private void writeBreak(int c) {
    if (c == '\n') {
      putBreak();
    } else {
      out.appendCodePoint(c);
      column = 0;
    }
  }

  private void writeIndent() {
    int i = Math.max(indent, 0);
    if (!indention || column > i || (column == i && !whitespace)) putBreak();
    while (column < i) put(' ');
    whitespace = true;
    indention = true;
  }

  private void writeIndicator(String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
    if (needWhitespace && !whitespace) put(' ');
    indicator.codePoints().forEach(this::put);
    whitespace = isWhitespace;
    indention = indention && isIndention;
  }

  private void writePlain(int[] v, boolean allowBreaks) {
    if (!whitespace) put(' ');
    boolean spaces = false;
    boolean breaks = false;
    for (int i = 0; i < v.length; ) {
      if (v[i] == ' ') {
        if (allowBreaks && !spaces && column > BEST_WIDTH && !isSpace(v, i + 1)) {
          writeIndent();
          i++;
        } else {
          put(v[i++]);
        }
        spaces = true;
      } else if (isBreak(v[i])) {
        if (!breaks && v[i] == '\n') putBreak();
        writeBreak(v[i++]);
        indention = true;
        breaks = true;
      } else {
        if (breaks) writeIndent();
        put(v[i++]);
        indention = false;
        spaces = false;
        breaks = false;
      }
    }
    whitespace = false;
    indention = false;
  }

  private void writeSingleQuoted(int[] v, boolean allowBreaks) {
    writeIndicator("'", true, false, false);
    boolean spaces = false;
    boolean breaks = false;
    for (int i = 0; i < v.length; ) {
      if (v[i] == ' ') {
        if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1 && !isSpace(v, i + 1)) {
          writeIndent();
          i++;
        } else {
          put(v[i++]);
        }
        spaces = true;
      } else if (isBreak(v[i])) {
        if (!breaks && v[i] == '\n') putBreak();
        writeBreak(v[i++]);
        indention = true;
        breaks = true;
      } else {
        if (breaks) writeIndent();
        if (v[i] == '\'') put('\'');
        put(v[i++]);
        indention = false;
        spaces = false;
        breaks = false;
      }
    }
    writeIndicator("'", false, false, false);
    whitespace = false;
    indention = false;
  }

  private void writeDoubleQuoted(int[] v, boolean allowBreaks) {
    boolean spaces = false;
    writeIndicator("\"", true, false, false);
    for (int i = 0; i < v.length; ) {
      int c = v[i];
      if (!isPrintable(c) || c == 0xFEFF || isBreak(c) || c == '"' || c == '\\') {
        i++;
        put('\\');
        switch (c) {
          case 0x00 -> put('0');
          case 0x07 -> put('a');
          case 0x08 -> put('b');
          case 0x09 -> put('t');
          case 0x0A -> put('n');
          case 0x0B -> put('v');
          case 0x0C -> put('f');
          case 0x0D -> put('r');
          case 0x1B -> put('e');
          case 0x22 -> put('"');
          case 0x5C -> put('\\');
          case 0x85 -> put('N');
          case 0xA0 -> put('_');
          case 0x2028 -> put('L');
          case 0x2029 -> put('P');
          default -> {
            int w;
            if (c <= 0xFF) {
              put('x');
              w = 2;
            } else if (c <= 0xFFFF) {
              put('u');
              w = 4;
            } else {
              put('U');
              w = 8;
            }
            for (int k = (w - 1) * 4; k >= 0; k -= 4) {
              int digit = (c >> k) & 0x0F;
              put(digit < 10 ? '0' + digit : 'A' + digit - 10);
            }
          }
        }
        spaces = false;
      } else if (c == ' ') {
        if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1) {
          writeIndent();
          if (isSpace(v, i + 1)) put('\\');
          i++;
        } else {
          put(v[i++]);
        }
        spaces = true;
      } else {
        put(v[i++]);
        spaces = false;
      }
    }
    writeIndicator("\"", false, false, false);
    whitespace = false;
    indention = false;
  }

  private void writeLiteral(int[] v) {
    writeIndicator("|", true, false, false);
    // block scalar hints
    if (v.length > 0 && (v[0] == ' ' || isBreak(v[0]))) writeIndicator(String.valueOf(BEST_INDENT), false, false, false);
    String chomp = null;
    if (v.length == 0) {
      chomp = "-";
    } else if (!isBreak(v[v.length - 1])) {
      chomp = "-";
    } else if (v.length == 1) {
      chomp = "+";
    } else if (isBreak(v[v.length - 2])) {
      chomp = "+";
    }
    if (chomp != null) writeIndicator(chomp, false, false, false);
    putBreak();
    indention = true;
    whitespace = true;
    boolean breaks = true;
    for (int i = 0; i < v.length; ) {
      if (isBreak(v[i])) {
        writeBreak(v[i++]);
        indention = true;
        breaks = true;
      } else {
        if (breaks) writeIndent();
        put(v[i++]);
        indention = false;
        breaks = false;
      }
    }
  }

  // ---- scalar analysis (yaml_emitter_analyze_scalar)
  private record Analysis(boolean multiline, boolean flowPlainAllowed, boolean blockPlainAllowed,
      boolean singleQuotedAllowed, boolean blockAllowed) {}

  private static Analysis analyze(int[] v) {
    if (v.length == 0) return new Analysis(false, false, true, true, false);
    boolean blockIndicators = false;
    boolean flowIndicators = false;
    boolean lineBreaks = false;
    boolean specialCharacters = false;
    boolean leadingSpace = false;
    boolean leadingBreak = false;
    boolean trailingSpace = false;
    boolean trailingBreak = false;
    boolean breakSpace = false;
    boolean spaceBreak = false;
    boolean previousSpace = false;
    boolean previousBreak = false;
    if (v.length >= 3 && ((v[0] == '-' && v[1] == '-' && v[2] == '-') || (v[0] == '.' && v[1] == '.' && v[2] == '.'))) {
      blockIndicators = true;
      flowIndicators = true;
    }
    boolean precededByWhitespace = true;
    for (int i = 0; i < v.length; i++) {
      int c = v[i];
      boolean followedByWhitespace = i + 1 >= v.length || v[i + 1] == ' ' || v[i + 1] == '\t';
      if (i == 0) {
        switch (c) {
          case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' -> {
            flowIndicators = true;
            blockIndicators = true;
          }
          case '?', ':' -> {
            flowIndicators = true;
            if (followedByWhitespace) blockIndicators = true;
          }
          case '-' -> {
            if (followedByWhitespace) {
              flowIndicators = true;
              blockIndicators = true;
            }
          }
          default -> { }
        }
      } else {
        switch (c) {
          case ',', '?', '[', ']', '{', '}' -> flowIndicators = true;
          case ':' -> {
            flowIndicators = true;
            if (followedByWhitespace) blockIndicators = true;
          }
          case '#' -> {
            if (precededByWhitespace) {
              flowIndicators = true;
              blockIndicators = true;
            }
          }
          default -> { }
        }
      }
      if (!isPrintable(c)) specialCharacters = true;
      if (c == ' ') {
        if (i == 0) leadingSpace = true;
        if (i + 1 == v.length) trailingSpace = true;
        if (previousBreak) breakSpace = true;
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(c)) {
        lineBreaks = true;
        if (i == 0) leadingBreak = true;
        if (i + 1 == v.length) trailingBreak = true;
        if (previousSpace) spaceBreak = true;
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWhitespace = c == ' ' || c == '\t' || isBreak(c) || c == 0;
    }
    boolean flowPlain = true;
    boolean blockPlain = true;
    boolean single = true;
    boolean block = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      flowPlain = false;
      blockPlain = false;
    }
    if (trailingSpace) block = false;
    if (breakSpace) {
      flowPlain = false;
      blockPlain = false;
      single = false;
    }
    if (spaceBreak || specialCharacters) {
      flowPlain = false;
      blockPlain = false;
      single = false;
      block = false;
    }
    if (lineBreaks) {
      flowPlain = false;
      blockPlain = false;
    }
    if (flowIndicators) flowPlain = false;
    if (blockIndicators) blockPlain = false;
    return new Analysis(lineBreaks, flowPlain, blockPlain, single, block);
  }

  private static boolean isPrintable(int c) {
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
  }

  private static boolean isBreak(int c) {
    return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  private static boolean isSpace(int[] v, int i) {
    return i < v.length && v[i] == ' ';
  }
}
