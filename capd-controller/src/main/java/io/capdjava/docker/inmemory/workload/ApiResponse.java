package io.capdjava.docker.inmemory.workload;

/** The answer to one non-streaming API request: HTTP status, Content-Type (null: none) and body bytes. */
public record ApiResponse(int status, String contentType, byte[] body) {}
