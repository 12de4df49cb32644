package com.mka1.batches.sandbox.junit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two tests of one class overlapping (as under parallel execution) would reset the sandbox under
 * each other: the extension refuses the second one instead. Driven through the callbacks directly,
 * with a minimal context, since making two real tests overlap deterministically would need waiting.
 */
class ConcurrentTestsGuardTest {
    @Test
    void aTestStartingWhileAnotherOfItsClassRunsFailsAndSaysWhatToDo() {
        Mka1SandboxExtension extension = new Mka1SandboxExtension();
        ExtensionContext context = classContext();

        extension.beforeEach(context);
        assertThatThrownBy(() -> extension.beforeEach(context))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ConcurrentTestsGuardTest.class.getName())
                .hasMessageContaining("@Execution(ExecutionMode.SAME_THREAD)");
        extension.afterEach(context); // JUnit runs afterEach for the refused test too
        extension.afterEach(context);

        assertThatCode(() -> extension.beforeEach(context))
                .as("the next test, once both ended")
                .doesNotThrowAnyException();
        extension.afterEach(context);
    }

    /** A top-level class context whose one store is a map; enough for the callbacks. */
    private static ExtensionContext classContext() {
        Map<Object, Object> values = new HashMap<>();
        ExtensionContext.Store store = (ExtensionContext.Store) Proxy.newProxyInstance(
                ExtensionContext.Store.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.Store.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "get":
                            return values.get(args[0]);
                        case "getOrComputeIfAbsent":
                            @SuppressWarnings("unchecked")
                            Function<Object, Object> compute = (Function<Object, Object>) args[1];
                            return values.computeIfAbsent(args[0], compute);
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        return (ExtensionContext) Proxy.newProxyInstance(
                ExtensionContext.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getParent":
                            return Optional.empty();
                        case "getTestClass":
                            return Optional.of(ConcurrentTestsGuardTest.class);
                        case "getRequiredTestClass":
                            return ConcurrentTestsGuardTest.class;
                        case "getDisplayName":
                            return "test()";
                        case "getStore":
                            return store;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
