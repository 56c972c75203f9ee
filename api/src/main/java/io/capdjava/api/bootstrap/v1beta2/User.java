package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** An OS user created on the machine (cloud-init users / Ignition passwd.users). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.passwd) && has(self.passwdFrom))",
    message = "only one of passwd or passwdFrom may be specified for a single user")
public class User {
  @Required
  @Size(min = 1, max = 256)
  public String name;

  @Size(min = 1, max = 256)
  public String gecos;

  /** Comma-separated supplementary groups. */
  @Size(min = 1, max = 256)
  public String groups;

  @Size(min = 1, max = 256)
  public String homeDir;

  // webhook-only (Ignition): inactive=true is not supported with format ignition
  public Boolean inactive;

  @Size(min = 1, max = 256)
  public String shell;

  /** Hashed password. */
  @Size(min = 1, max = 256)
  public String passwd;

  /** Take the hashed password from a Secret in the KubeadmConfig's namespace instead. */
  public PasswdSource passwdFrom;

  @Size(min = 1, max = 256)
  public String primaryGroup;

  /** Disable password login. */
  public Boolean lockPassword;

  /** A sudoers rule, e.g. {@code ALL=(ALL) NOPASSWD:ALL}. */
  @Size(min = 1, max = 256)
  public String sudo;

  @ListType("atomic")
  @Size(max = 100)
  public List<@Size(min = 1, max = 2048) String> sshAuthorizedKeys;
}
