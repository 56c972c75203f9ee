package io.capdjava.bootstrap.reconciler;

import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.User;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The parts of a KubeadmConfig that point elsewhere, resolved into plain values (upstream {@code resolveFiles},
 * {@code resolveUsers}): {@code files[].contentFrom.secret} and {@code users[].passwdFrom.secret} read from the
 * KubeadmConfig's namespace, template files rendered. Errors name the field, never the secret's content.
 */
final class SpecSources {
  private final KubernetesClient client;

  SpecSources(KubernetesClient client) {
    this.client = client;
  }

  /** The files with content from secrets filled in and templates rendered, in spec order. */
  List<File> files(KubeadmConfig config, Supplier<String> controlPlaneVersion) {
    List<File> out = new ArrayList<>();
    List<File> files = config.getSpec().files;
    if (files == null) return out;
    for (int i = 0; i < files.size(); i++) {
      File in = files.get(i);
      File f = copy(in);
      String field = "spec.files[" + i + "]";
      if (in.contentFrom != null && in.contentFrom.secret != null) {
        f.content = secretValue(config, field + ".contentFrom.secret", in.contentFrom.secret.name,
            in.contentFrom.secret.key);
        f.contentFrom = null;
      }
      if ("Template".equals(in.contentFormat)) {
        f.content = FileTemplate.render(field + ".content", f.content == null ? "" : f.content, controlPlaneVersion.get());
      }
      f.contentFormat = null;
      out.add(f);
    }
    return out;
  }

  /** The users with passwords from secrets filled in. */
  List<User> users(KubeadmConfig config) {
    List<User> out = new ArrayList<>();
    List<User> users = config.getSpec().users;
    if (users == null) return out;
    for (int i = 0; i < users.size(); i++) {
      User in = users.get(i);
      User u = copy(in);
      if (in.passwdFrom != null && in.passwdFrom.secret != null) {
        u.passwd = secretValue(config, "spec.users[" + i + "].passwdFrom.secret", in.passwdFrom.secret.name,
            in.passwdFrom.secret.key);
        u.passwdFrom = null;
      }
      out.add(u);
    }
    return out;
  }

  private String secretValue(KubeadmConfig config, String field, String name, String key) {
    String ns = config.getMetadata().getNamespace();
    Secret secret = client.secrets().inNamespace(ns).withName(name).get();
    if (secret == null) {
      throw new MissingInputException(Contract.Bootstrap.DATA_SECRET_AVAILABLE,
          field + ": secret " + ns + "/" + name + " not found");
    }
    return ClusterSecrets.data(secret, key).map(b -> new String(b, StandardCharsets.UTF_8))
        .orElseThrow(() -> new MissingInputException(Contract.Bootstrap.DATA_SECRET_AVAILABLE,
            field + ": secret " + ns + "/" + name + " has no key \"" + key + "\""));
  }

  private static File copy(File in) {
    File f = new File();
    f.path = in.path;
    f.owner = in.owner;
    f.permissions = in.permissions;
    f.encoding = in.encoding;
    f.append = in.append;
    f.content = in.content;
    f.contentFrom = in.contentFrom;
    f.contentFormat = in.contentFormat;
    return f;
  }

  private static User copy(User in) {
    User u = new User();
    u.name = in.name;
    u.gecos = in.gecos;
    u.groups = in.groups;
    u.homeDir = in.homeDir;
    u.inactive = in.inactive;
    u.shell = in.shell;
    u.passwd = in.passwd;
    u.passwdFrom = in.passwdFrom;
    u.primaryGroup = in.primaryGroup;
    u.lockPassword = in.lockPassword;
    u.sudo = in.sudo;
    u.sshAuthorizedKeys = in.sshAuthorizedKeys;
    return u;
  }
}
