package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.Enum;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A file written on the machine before kubeadm runs (cloud-init write_files / Ignition storage.files). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.content) && has(self.contentFrom))",
    message = "only one of content or contentFrom may be specified for a single file")
public class File {
  @Required
  @Size(min = 1, max = 512)
  public String path;

  /** e.g. {@code root:root}. */
  @Size(min = 1, max = 256)
  public String owner;

  /** e.g. {@code "0640"}. */
  @Size(min = 1, max = 16)
  public String permissions;

  /** How content is encoded; empty means plain text. */
  @Enum({"base64", "gzip", "gzip+base64"})
  // webhook-only (Ignition): gzip and gzip+base64 are not supported with format ignition
  public String encoding;

  /** Append to an existing file instead of replacing it. */
  public Boolean append;

  @Size(min = 1, max = 10240)
  public String content;

  /** Take the content from a Secret in the KubeadmConfig's namespace instead. */
  public FileSource contentFrom;

  /** {@code Template} renders the content as a Go text/template; {@code Raw} or empty uses it verbatim. */
  @Enum({"Raw", "Template"})
  public String contentFormat;
}
