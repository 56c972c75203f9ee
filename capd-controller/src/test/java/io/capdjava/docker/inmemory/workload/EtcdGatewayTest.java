package io.capdjava.docker.inmemory.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON gateway answers as etcd 3.6's does to the calls KCP's etcd client makes. */
class EtcdGatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimulatedEtcd etcd = new SimulatedEtcd();
  private final SimulatedEtcd.Member n1 = etcd.addMember("n1");
  private final SimulatedEtcd.Member n2 = etcd.addMember("n2");
  private final SimulatedEtcd.Member n3 = etcd.addMember("n3");

  @Test
  void statusNamesTheLeaderAndTheMemberAnswering() throws Exception {
    JsonNode status = ok(new EtcdGateway(etcd, "n2"), "/v3/maintenance/status", "{}");

    assertEquals(Long.toUnsignedString(n1.id()), status.path("leader").asText(), "the first member leads");
    assertEquals(Long.toUnsignedString(n2.id()), status.path("header").path("member_id").asText());
    assertEquals(Long.toUnsignedString(etcd.clusterId()), status.path("header").path("cluster_id").asText());
    assertEquals(EtcdGateway.VERSION, status.path("version").asText());
    assertTrue(status.path("header").path("revision").isTextual(), "64-bit numbers are strings: " + status);
    assertTrue(Long.parseLong(status.path("raftTerm").asText()) >= 1, status.toString());
    assertFalse(status.has("isLearner"), "false fields are left out");
  }

  @Test
  void memberListHasEveryMemberWithUnsignedIdsAndUrls() throws Exception {
    JsonNode list = ok(new EtcdGateway(etcd, "n1"), "/v3/cluster/member/list", "{\"linearizable\":true}");

    List<String> names = new ArrayList<>();
    for (JsonNode m : list.path("members")) {
      names.add(m.path("name").asText());
      long id = Long.parseUnsignedLong(m.path("ID").asText());
      assertEquals(m.path("name").asText(), etcd.byId(id).orElseThrow().name());
      assertEquals("https://" + m.path("name").asText() + ":2379", m.path("clientURLs").get(0).asText());
      assertEquals("https://" + m.path("name").asText() + ":2380", m.path("peerURLs").get(0).asText());
    }
    assertEquals(List.of("n1", "n2", "n3"), names);
    assertEquals(Long.toUnsignedString(n1.id()), list.path("header").path("member_id").asText());
  }

  @Test
  void noAlarmsAreRaised() throws Exception {
    JsonNode alarms = ok(new EtcdGateway(etcd, "n1"), "/v3/maintenance/alarm", "{\"action\":\"GET\"}");
    assertFalse(alarms.has("alarms"), alarms.toString());
    assertTrue(alarms.has("header"));
  }

  @Test
  void theLeaderHandsLeadershipOverAndOnlyTheLeaderMay() throws Exception {
    long termBefore = etcd.raftTerm();
    ok(new EtcdGateway(etcd, "n1"), "/v3/maintenance/transfer-leadership",
        "{\"targetID\":\"" + Long.toUnsignedString(n3.id()) + "\"}");

    assertEquals(n3.id(), etcd.leaderId());
    assertEquals(termBefore + 1, etcd.raftTerm(), "a new leader means a new term");
    JsonNode status = ok(new EtcdGateway(etcd, "n2"), "/v3/maintenance/status", "");
    assertEquals(Long.toUnsignedString(n3.id()), status.path("leader").asText());

    JsonNode notLeader = error(new EtcdGateway(etcd, "n1"), "/v3/maintenance/transfer-leadership",
        "{\"targetID\":\"" + Long.toUnsignedString(n2.id()) + "\"}", 400);
    assertEquals("etcdserver: not leader", notLeader.path("message").asText());
    JsonNode badTarget = error(new EtcdGateway(etcd, "n3"), "/v3/maintenance/transfer-leadership",
        "{\"targetID\":\"12345\"}", 400);
    assertEquals("etcdserver: bad leader transferee", badTarget.path("message").asText());
    assertEquals(n3.id(), etcd.leaderId());
  }

  @Test
  void removingAMemberLeavesTheOthers() throws Exception {
    JsonNode removed = ok(new EtcdGateway(etcd, "n1"), "/v3/cluster/member/remove",
        "{\"ID\":\"" + Long.toUnsignedString(n2.id()) + "\"}");

    assertEquals(2, removed.path("members").size(), removed.toString());
    assertTrue(etcd.byName("n2").isEmpty());
    assertEquals(n1.id(), etcd.leaderId());
  }

  @Test
  void removingTheLeaderHandsLeadershipToTheOldestMemberLeftAndStopsIt() throws Exception {
    EtcdGateway leader = new EtcdGateway(etcd, "n1");
    ok(leader, "/v3/cluster/member/remove", "{\"ID\":\"" + Long.toUnsignedString(n1.id()) + "\"}");

    assertEquals(n2.id(), etcd.leaderId());
    JsonNode status = ok(new EtcdGateway(etcd, "n3"), "/v3/maintenance/status", "{}");
    assertEquals(Long.toUnsignedString(n2.id()), status.path("leader").asText());
    JsonNode stopped = error(leader, "/v3/maintenance/status", "{}", 503);
    assertEquals("etcdserver: server stopped", stopped.path("message").asText());
  }

  @Test
  void removingAnUnknownMemberIsMemberNotFound() throws Exception {
    JsonNode notFound = error(new EtcdGateway(etcd, "n1"), "/v3/cluster/member/remove", "{\"ID\":\"42\"}", 404);

    assertEquals(5, notFound.path("code").asInt());
    assertEquals("etcdserver: member not found", notFound.path("message").asText());
    assertEquals(3, etcd.members().size());
  }

  @Test
  void idsAboveLongMaxValueRoundTripAsUnsigned() throws Exception {
    SimulatedEtcd big = new SimulatedEtcd();
    SimulatedEtcd.Member member;
    do {
      member = big.addMember("n" + big.members().size());
    } while (member.id() > 0);
    String unsigned = Long.toUnsignedString(member.id());
    assertFalse(unsigned.startsWith("-"));

    JsonNode list = ok(new EtcdGateway(big, member.name()), "/v3/cluster/member/list", "{}");
    assertEquals(unsigned, list.path("header").path("member_id").asText());
    ok(new EtcdGateway(big, member.name()), "/v3/cluster/member/remove", "{\"ID\":" + unsigned + "}");
    assertTrue(big.byId(member.id()).isEmpty(), "a JSON number is taken as well as a string");
  }

  @Test
  void unknownPathsAndBadBodiesAreGatewayErrors() throws Exception {
    EtcdGateway gateway = new EtcdGateway(etcd, "n1");
    assertEquals("Not Found", error(gateway, "/v3/kv/range", "{}", 404).path("message").asText());
    assertEquals(3, error(gateway, "/v3/cluster/member/remove", "{not json", 400).path("code").asInt());
    assertEquals(3, error(gateway, "/v3/cluster/member/remove", "{\"ID\":\"n2\"}", 400).path("code").asInt());
  }

  private static JsonNode ok(EtcdGateway gateway, String path, String body) throws Exception {
    EtcdGateway.Response response = gateway.handle(path, body.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, response.status(), response.bodyText());
    return JSON.readTree(response.body());
  }

  private static JsonNode error(EtcdGateway gateway, String path, String body, int status) throws Exception {
    EtcdGateway.Response response = gateway.handle(path, body.getBytes(StandardCharsets.UTF_8));
    assertEquals(status, response.status(), response.bodyText());
    return JSON.readTree(response.body());
  }
}
