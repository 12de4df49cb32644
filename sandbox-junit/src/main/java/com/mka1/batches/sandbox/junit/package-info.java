/**
 * JUnit 5 support for the sandbox: {@link com.mka1.batches.sandbox.junit.Mka1SandboxExtension}
 * starts one {@link com.mka1.batches.sandbox.Mka1Sandbox} per test class, resets it before each
 * test, and injects it, its clock and a {@link com.mka1.batches.Mka1Client} whose waits advance
 * that clock instead of sleeping.
 *
 * <pre>{@code
 * @ExtendWith(Mka1SandboxExtension.class)
 * class MyBatchJobTest {
 *     @Test
 *     void completes(Mka1Sandbox sandbox, Mka1Client client) {
 *         // create a batch, then client.llm().batches().waitForCompletion(id, WaitOptions.defaults()) returns at once
 *     }
 * }
 * }</pre>
 *
 * <p>This package needs JUnit Jupiter ({@code junit-jupiter-api} 5.x) on the classpath, which the
 * sandbox does not bring itself; the rest of the sandbox does not need it.
 */
package com.mka1.batches.sandbox.junit;
