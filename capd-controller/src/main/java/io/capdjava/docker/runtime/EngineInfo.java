package io.capdjava.docker.runtime;

/** The engine's host resources, reported as a machine template's capacity. */
public record EngineInfo(int cpus, long memoryBytes, String serverVersion) {}
