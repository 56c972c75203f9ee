package io.capdjava.bootstrap.reconciler;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Go text/template subset upstream documents for {@code files[].contentFormat: Template}: the value
 * {@code {{ .controlPlane.version }}} and the guard {@code {{ if .controlPlane }} ... {{ else }} ... {{ end }}}, with
 * Go's {@code {{-}} / {@code -}}} whitespace trimming. Anything else is refused with a message naming the file, rather
 * than rendered differently from upstream.
 */
final class FileTemplate {
  private static final Pattern ACTION = Pattern.compile("\\{\\{(-\\s)?\\s*(.*?)\\s*(\\s-)?}}", Pattern.DOTALL);
  private static final int MAX_BYTES = 1 << 20;

  private FileTemplate() {}

  /** Renders {@code template}; {@code controlPlaneVersion} null means the data has no {@code controlPlane} key. */
  static String render(String field, String template, String controlPlaneVersion) {
    StringBuilder out = new StringBuilder();
    // a stack of "is this branch emitting" flags for nested ifs
    java.util.Deque<boolean[]> ifs = new java.util.ArrayDeque<>();
    Matcher m = ACTION.matcher(template);
    int pos = 0;
    boolean trimNext = false;
    while (m.find()) {
      String text = template.substring(pos, m.start());
      if (trimNext) text = text.stripLeading();
      if (m.group(1) != null) text = text.stripTrailing();
      if (emitting(ifs)) out.append(text);
      trimNext = m.group(3) != null;
      String action = m.group(2).trim();
      if (action.equals(".controlPlane.version")) {
        if (emitting(ifs)) {
          if (controlPlaneVersion == null) {
            throw new InvalidSpecException(field + ": template uses .controlPlane.version but the Cluster has no"
                + " control plane with a spec.version (guard it with {{ if .controlPlane }})");
          }
          out.append(controlPlaneVersion);
        }
      } else if (action.equals("if .controlPlane") || action.equals("if .controlPlane.version")) {
        ifs.push(new boolean[] {controlPlaneVersion != null, false});
      } else if (action.equals("else")) {
        if (ifs.isEmpty()) throw new InvalidSpecException(field + ": {{ else }} without {{ if }}");
        ifs.peek()[1] = true;
      } else if (action.equals("end")) {
        if (ifs.isEmpty()) throw new InvalidSpecException(field + ": {{ end }} without {{ if }}");
        ifs.pop();
      } else if (action.startsWith("/*") && action.endsWith("*/")) {
        // a comment
      } else {
        throw new InvalidSpecException(field + ": template action {{ " + action + " }} is not supported (only"
            + " .controlPlane.version and if .controlPlane/else/end)");
      }
      pos = m.end();
    }
    if (!ifs.isEmpty()) throw new InvalidSpecException(field + ": {{ if }} without {{ end }}");
    String rest = template.substring(pos);
    if (trimNext) rest = rest.stripLeading();
    out.append(rest);
    if (out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new InvalidSpecException(field + ": rendered output exceeds the " + MAX_BYTES + " byte limit");
    }
    return out.toString();
  }

  private static boolean emitting(java.util.Deque<boolean[]> ifs) {
    for (boolean[] branch : ifs) {
      boolean taken = branch[1] ? !branch[0] : branch[0];
      if (!taken) return false;
    }
    return true;
  }
}
