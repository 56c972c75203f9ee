package io.capdjava.docker.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.infrastructure.v1beta2.DevMachineTemplate;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplate;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplateStatus;
import io.capdjava.core.StatusPatch;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.EngineInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DevMachineTemplate and DockerMachineTemplate: {@code status.capacity} from the engine's host (CPUs and memory), which
 * the cluster autoscaler reads to scale a MachineDeployment up from zero. One implementation; a subclass per kind.
 *
 * @param <T> the template kind
 */
public abstract class MachineTemplateCapacityReconciler<T extends CustomResource<?, DockerMachineTemplateStatus>>
    implements Reconciler<T> {
  private final ContainerRuntime runtime;

  protected MachineTemplateCapacityReconciler(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public UpdateControl<T> reconcile(T template, Context<T> context) {
    JsonNode before = StatusPatch.snapshot(template);
    EngineInfo info = runtime.info();
    if (template.getStatus() == null) template.setStatus(new DockerMachineTemplateStatus());
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(String.valueOf(info.cpus())));
    capacity.put("memory", binarySi(info.memoryBytes()));
    template.getStatus().capacity = capacity;
    return StatusPatch.ifChanged(before, template);
  }

  @ControllerConfiguration(name = "dockermachinetemplate")
  public static final class ForDockerMachineTemplate extends MachineTemplateCapacityReconciler<DockerMachineTemplate> {
    public ForDockerMachineTemplate(ContainerRuntime runtime) {
      super(runtime);
    }
  }

  @ControllerConfiguration(name = "devmachinetemplate")
  public static final class ForDevMachineTemplate extends MachineTemplateCapacityReconciler<DevMachineTemplate> {
    public ForDevMachineTemplate(ContainerRuntime runtime) {
      super(runtime);
    }
  }

  /** Bytes in Kubernetes' binary-SI form, as {@code resource.NewQuantity(n, BinarySI)} prints them. */
  static Quantity binarySi(long bytes) {
    String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
    int unit = 0;
    long value = bytes;
    while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
      value /= 1024;
      unit++;
    }
    return new Quantity(String.valueOf(value), units[unit]);
  }
}
