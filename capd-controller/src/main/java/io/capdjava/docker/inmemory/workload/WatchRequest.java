package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Predicate;

/**
 * What a watch request asks to be streamed, as {@link ApiRequests#watchRequest} parses it: objects of {@code type} in
 * {@code namespace} (null: all) that {@code filter} (label and field selectors) accepts, from {@code resourceVersion}
 * (0: now).
 *
 * <p>{@code sendInitialEvents} true: first stream an ADDED event for every current matching object (what
 * kube-apiserver does for a watch without resourceVersion or with "0", and for {@code sendInitialEvents=true}), then
 * the changes after the resourceVersion those objects were read at. When also {@code allowBookmarks}, end the initial
 * events with {@link ApiRequests#bookmark bookmark(type, rv, true)} (the {@code k8s.io/initial-events-end}
 * annotation the streaming-list clients wait for). {@code timeoutSeconds} null: no timeout asked.
 */
public record WatchRequest(ResourceType type, String namespace, Predicate<ObjectNode> filter, long resourceVersion,
    boolean sendInitialEvents, boolean allowBookmarks, Integer timeoutSeconds) {}
