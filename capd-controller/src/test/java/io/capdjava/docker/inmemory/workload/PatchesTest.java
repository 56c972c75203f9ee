package io.capdjava.docker.inmemory.workload;

import static io.capdjava.docker.inmemory.workload.ObjectStoreTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capdjava.docker.inmemory.workload.ObjectStore.PatchFormat;
import org.junit.jupiter.api.Test;

class PatchesTest {
  private static ObjectNode node() {
    return json("""
        {'apiVersion':'v1','kind':'Node','metadata':{'name':'n1','resourceVersion':'7',
          'labels':{'kubernetes.io/hostname':'n1','old':'x'},
          'annotations':{'kept':'1','dropped':'2'}},
         'spec':{'providerID':'docker:////n1','taints':[
           {'key':'node-role.kubernetes.io/control-plane','effect':'NoSchedule'},
           {'key':'node.cluster.x-k8s.io/uninitialized','effect':'NoSchedule'}]},
         'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'},{'type':'Hostname','address':'n1'}],
           'conditions':[{'type':'Ready','status':'False'},{'type':'MemoryPressure','status':'False'}]}}
        """);
  }

  private static String body(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  @Test
  void aJsonPatchAppliesItsOperationsInOrder() {
    ObjectNode patched = Patches.apply(node(), PatchFormat.JSON_PATCH, body("""
        [{'op':'add','path':'/metadata/labels/new','value':'y'},
         {'op':'remove','path':'/metadata/labels/old'},
         {'op':'replace','path':'/spec/providerID','value':'docker:////other'},
         {'op':'remove','path':'/spec/taints/1'}]
        """));

    assertEquals(json("{'kubernetes.io/hostname':'n1','new':'y'}"), patched.path("metadata").path("labels"));
    assertEquals("docker:////other", patched.path("spec").path("providerID").asText());
    assertEquals(1, patched.path("spec").path("taints").size());
  }

  @Test
  void aFailingJsonPatchIsInvalidAndAMalformedOneIsABadRequest() {
    assertEquals(422, assertThrows(ApiException.class, () -> Patches.apply(node(), PatchFormat.JSON_PATCH,
        body("[{'op':'remove','path':'/spec/missing'}]"))).code());
    assertEquals(400, assertThrows(ApiException.class,
        () -> Patches.apply(node(), PatchFormat.JSON_PATCH, "{\"op\":\"add\"}")).code());
    assertEquals(400, assertThrows(ApiException.class,
        () -> Patches.apply(node(), PatchFormat.MERGE_PATCH, "{not json")).code());
  }

  @Test
  void aMergePatchMergesObjectsDeletesNullsAndReplacesLists() {
    ObjectNode patched = Patches.apply(node(), PatchFormat.MERGE_PATCH, body("""
        {'metadata':{'labels':{'old':null,'new':'y'}},
         'spec':{'taints':[{'key':'only','effect':'NoExecute'}],'unschedulable':true}}
        """));

    assertEquals(json("{'kubernetes.io/hostname':'n1','new':'y'}"), patched.path("metadata").path("labels"));
    assertEquals(json("[{'key':'only','effect':'NoExecute'}]"), patched.path("spec").path("taints"));
    assertEquals(true, patched.path("spec").path("unschedulable").asBoolean());
    assertEquals("docker:////n1", patched.path("spec").path("providerID").asText());
  }

  @Test
  void theRfc7386ExamplesHold() {
    assertEquals(json("{'a':'z','c':{'d':'e'}}"),
        Patches.mergePatch(json("{'a':'b','c':{'d':'e','f':'g'}}"), json("{'a':'z','c':{'f':null}}")));
    assertEquals(json("{'a':[1]}"), Patches.mergePatch(json("{'a':[{'b':'c'}]}"), json("{'a':[1]}")));
    assertEquals(json("{'a':1}"),
        Patches.mergePatch(json("{'e':null}"), json("{'a':1,'e':null}")));
  }

  /** What client.StrategicMergeFrom sends for a Node whose labels, annotations and taints changed. */
  @Test
  void aStrategicMergePatchOfANodeAsGoClientsWriteIt() {
    ObjectNode patched = Patches.apply(node(), PatchFormat.STRATEGIC_MERGE_PATCH, body("""
        {'metadata':{'labels':{'new':'y','old':null},'annotations':{'added':'3','dropped':null}},
         'spec':{'taints':[{'effect':'NoSchedule','key':'node-role.kubernetes.io/control-plane'},
                           {'effect':'NoExecute','key':'added'}]}}
        """));

    assertEquals(json("{'kubernetes.io/hostname':'n1','new':'y'}"), patched.path("metadata").path("labels"));
    assertEquals(json("{'kept':'1','added':'3'}"), patched.path("metadata").path("annotations"));
    // Taint has no patch strategy in Go: the list is replaced, so the removed taint is gone
    assertEquals(json("[{'effect':'NoSchedule','key':'node-role.kubernetes.io/control-plane'},"
        + "{'effect':'NoExecute','key':'added'}]"), patched.path("spec").path("taints"));
    assertEquals(node().path("status"), patched.path("status"));
  }

  @Test
  void aStrategicMergePatchWithSetElementOrderMergesTaintsByKey() {
    ObjectNode patched = Patches.apply(node(), PatchFormat.STRATEGIC_MERGE_PATCH, body("""
        {'metadata':{'labels':{'new':'y'}},
         'spec':{'$setElementOrder/taints':[{'key':'added'},{'key':'node-role.kubernetes.io/control-plane'}],
                 'taints':[{'effect':'NoExecute','key':'added'},
                           {'$patch':'delete','key':'node.cluster.x-k8s.io/uninitialized'}]}}
        """));

    assertEquals(json("[{'effect':'NoExecute','key':'added'},"
        + "{'key':'node-role.kubernetes.io/control-plane','effect':'NoSchedule'}]"), patched.path("spec").path("taints"));
    assertEquals("y", patched.path("metadata").path("labels").path("new").asText());
    assertFalse(patched.path("spec").has("$setElementOrder/taints"));
  }

  @Test
  void strategicMergeMergesConditionsAndAddressesByType() {
    ObjectNode patched = Patches.apply(node(), PatchFormat.STRATEGIC_MERGE_PATCH, body("""
        {'status':{'conditions':[{'type':'Ready','status':'True','reason':'KubeletReady'}],
                   'addresses':[{'type':'ExternalIP','address':'1.2.3.4'}]}}
        """));

    assertEquals(json("[{'type':'Ready','status':'True','reason':'KubeletReady'},"
        + "{'type':'MemoryPressure','status':'False'}]"), patched.path("status").path("conditions"));
    assertEquals(3, patched.path("status").path("addresses").size());
  }

  @Test
  void strategicMergeMergesContainersAndTheirEnvByName() {
    ObjectNode pod = json("""
        {'spec':{'containers':[
          {'name':'a','image':'a:1','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]},
          {'name':'b','image':'b:1'}]}}
        """);

    ObjectNode patched = Patches.apply(pod, PatchFormat.STRATEGIC_MERGE_PATCH, body("""
        {'spec':{'containers':[
          {'name':'a','image':'a:2','env':[{'name':'Y','$patch':'delete'},{'name':'Z','value':'3'}]},
          {'name':'b','$patch':'delete'},
          {'name':'c','image':'c:1','$retainKeys':['image']}]}}
        """));

    assertEquals(json("""
        [{'name':'a','image':'a:2','env':[{'name':'X','value':'1'},{'name':'Z','value':'3'}]},
         {'name':'c','image':'c:1'}]
        """), patched.path("spec").path("containers"));
  }

  @Test
  void strategicMergeAddsAndDeletesFinalizersAsASet() {
    ObjectNode object = json("{'metadata':{'finalizers':['a','b']}}");

    ObjectNode added = Patches.apply(object, PatchFormat.STRATEGIC_MERGE_PATCH, body(
        "{'metadata':{'$setElementOrder/finalizers':['a','b','c'],'finalizers':['c']}}"));
    assertEquals(json("['a','b','c']"), added.path("metadata").path("finalizers"));

    ObjectNode removed = Patches.apply(added, PatchFormat.STRATEGIC_MERGE_PATCH, body(
        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b'],'$setElementOrder/finalizers':['c','a']}}"));
    assertEquals(json("['c','a']"), removed.path("metadata").path("finalizers"));
  }

  @Test
  void strategicMergeReplacesAndDeletesMapsOnRequest() {
    ObjectNode object = json("{'spec':{'selector':{'a':'1','b':'2'},'template':{'x':1}}}");

    ObjectNode patched = Patches.apply(object, PatchFormat.STRATEGIC_MERGE_PATCH, body(
        "{'spec':{'selector':{'$patch':'replace','c':'3'},'template':{'$patch':'delete'}}}"));

    assertEquals(json("{'selector':{'c':'3'}}"), patched.path("spec"));
  }

  @Test
  void listsOfUnknownFieldsAreReplaced() {
    ObjectNode object = json("{'spec':{'args':['a','b'],'tolerations':[{'key':'k','operator':'Exists'}]}}");

    ObjectNode patched = Patches.apply(object, PatchFormat.STRATEGIC_MERGE_PATCH, body(
        "{'spec':{'args':['c'],'tolerations':[{'key':'other','operator':'Exists'}]}}"));

    assertEquals(json("{'args':['c'],'tolerations':[{'key':'other','operator':'Exists'}]}"), patched.path("spec"));
  }

  @Test
  void anApplyBodyMayBeYaml() {
    ObjectNode patched = Patches.apply(node(), PatchFormat.APPLY_PATCH, """
        apiVersion: v1
        kind: Node
        metadata:
          name: n1
          labels:
            applied: "true"
        """);

    assertEquals("true", patched.path("metadata").path("labels").path("applied").asText());
    assertEquals("n1", patched.path("metadata").path("labels").path("kubernetes.io/hostname").asText());
  }

  @Test
  void theOptimisticLockOfAPatchIsItsResourceVersion() {
    assertEquals("5", Patches.resourceVersionOf(PatchFormat.MERGE_PATCH, "{\"metadata\":{\"resourceVersion\":\"5\"}}"));
    assertEquals(null, Patches.resourceVersionOf(PatchFormat.STRATEGIC_MERGE_PATCH, "{\"metadata\":{}}"));
    assertEquals(null, Patches.resourceVersionOf(PatchFormat.JSON_PATCH, "[]"));
  }
}
