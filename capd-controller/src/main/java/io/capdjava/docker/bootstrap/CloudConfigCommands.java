package io.capdjava.docker.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A cloud-config document turned into the commands that run it in a node container, as upstream CAPD does instead
 * of running cloud-init: {@code write_files} and {@code runcmd}, in document order. Any other module is an error
 * naming it: a node that silently skipped users, mounts or ntp would look healthy and be wrong.
 *
 * <p>Unlike upstream, {@code gzip+base64} content is both decoded and decompressed.
 */
public final class CloudConfigCommands {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> SUPPORTED = Set.of("write_files", "runcmd");

  private CloudConfigCommands() {}

  public static List<BootstrapStep> parse(String cloudConfig, KubeadmInContainers kubeadm) {
    JsonNode document;
    try {
      document = YAML.readTree(cloudConfig);
    } catch (IOException e) {
      throw new BootstrapDataException("the bootstrap data is not valid YAML: " + e.getMessage());
    }
    if (document == null || !document.isObject()) {
      throw new BootstrapDataException("the bootstrap data is not a cloud-config document");
    }
    List<String> unsupported = new ArrayList<>();
    document.fieldNames().forEachRemaining(k -> {
      if (!SUPPORTED.contains(k)) unsupported.add(k);
    });
    if (!unsupported.isEmpty()) {
      throw new BootstrapDataException("cloud-config module(s) " + unsupported + " cannot be run in a Docker node;"
          + " only write_files and runcmd are supported");
    }
    List<BootstrapStep> steps = new ArrayList<>();
    boolean kubeadmAdjusted = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = document.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> module = it.next();
      if (module.getKey().equals("write_files")) {
        int i = 0;
        for (JsonNode file : module.getValue()) steps.add(writeFile(file, i++, kubeadm));
      } else {
        int i = 0;
        for (JsonNode command : module.getValue()) {
          List<String> argv = command(command, i);
          if (!kubeadmAdjusted && kubeadm.isKubeadmCommand(argv)) {
            argv = kubeadm.adjustCommand(argv);
            kubeadmAdjusted = true;
          }
          steps.add(new BootstrapStep("runcmd[" + i++ + "]: " + String.join(" ", argv), argv, null));
        }
      }
    }
    return steps;
  }

  private static BootstrapStep writeFile(JsonNode file, int index, KubeadmInContainers kubeadm) {
    String path = text(file, "path").strip();
    if (path.isEmpty()) throw new BootstrapDataException("write_files[" + index + "] has no path");
    byte[] content = decode(text(file, "content").getBytes(StandardCharsets.UTF_8), text(file, "encoding").strip(), path);
    content = kubeadm.adjustFile(path, content);
    String permissions = text(file, "permissions").strip();
    String owner = text(file, "owner").strip();
    boolean append = file.path("append").asBoolean(false);
    // one exec per file: create the directory, write (or append) the uploaded content, then mode and owner when given
    StringBuilder script = new StringBuilder("mkdir -p \"$(dirname \"$0\")\" && cat " + BootstrapStep.INPUT_PATH + " ")
        .append(append ? ">>" : ">").append(" \"$0\" && rm -f " + BootstrapStep.INPUT_PATH);
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "", path));
    if (!permissions.isEmpty()) {
      if (!permissions.matches("0?[0-7]{3,4}")) {
        throw new BootstrapDataException("write_files[" + index + "] (" + path + "): permissions '" + permissions
            + "' is not an octal mode");
      }
      script.append(" && chmod \"$1\" \"$0\"");
      argv.add(permissions);
    } else {
      argv.add("");
    }
    if (!owner.isEmpty()) {
      script.append(" && chown \"$2\" \"$0\"");
      argv.add(owner);
    }
    argv.set(2, script.toString());
    return new BootstrapStep("write " + path, argv, content);
  }

  private static byte[] decode(byte[] content, String encoding, String path) {
    try {
      switch (encoding) {
        case "", "text/plain" -> {
          return content;
        }
        case "b64", "base64" -> {
          return Base64.getMimeDecoder().decode(content);
        }
        case "gz", "gzip" -> {
          return gunzip(content);
        }
        case "gz+b64", "gzip+base64", "gz+base64", "gzip+b64" -> {
          return gunzip(Base64.getMimeDecoder().decode(content));
        }
        default -> throw new BootstrapDataException("write_files " + path + ": unknown encoding '" + encoding + "'");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new BootstrapDataException("write_files " + path + ": content is not valid " + encoding + ": "
          + e.getMessage());
    }
  }

  private static byte[] gunzip(byte[] content) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  private static List<String> command(JsonNode command, int index) {
    if (command.isTextual()) return List.of("/bin/sh", "-c", command.asText());
    if (command.isArray()) {
      List<String> argv = new ArrayList<>();
      command.forEach(a -> argv.add(a.asText()));
      if (!argv.isEmpty()) return argv;
    }
    throw new BootstrapDataException("runcmd[" + index + "] is neither a string nor a list of arguments");
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }
}
