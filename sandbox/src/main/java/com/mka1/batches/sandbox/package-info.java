/**
 * An embedded, stateful stand-in for the MKA1 Batch API, for tests and local development.
 *
 * <pre>{@code
 * try (Mka1Sandbox sandbox = Mka1Sandbox.start()) {
 *   String fileId = sandbox.registerInputFile(jsonl);
 *   // point the client at sandbox.baseUrl() with sandbox.apiKey()
 * }
 * }</pre>
 *
 * <p>{@link com.mka1.batches.sandbox.Mka1Sandbox} is the entry point; {@link
 * com.mka1.batches.sandbox.SandboxClock} drives batch lifecycles; {@link
 * com.mka1.batches.sandbox.FaultSpec} describes injected faults; {@link
 * com.mka1.batches.sandbox.SandboxMain} runs the sandbox as a standalone server.
 */
package com.mka1.batches.sandbox;
