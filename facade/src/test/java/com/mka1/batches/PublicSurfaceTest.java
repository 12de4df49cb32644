package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The root package holds only what users touch, and little of it: at most 20 public top-level
 * types, each of them documented API, and a budget of public methods that only goes down; the
 * machinery is in {@code internal}. No two public types of the API share a simple name.
 */
class PublicSurfaceTest {
    /** The hand-written API; the generated models are left out: each carries its generator's nested Gson adapters. */
    private static final List<String> API_PACKAGES = List.of(
            "com.mka1.batches", "com.mka1.batches.errors", "com.mka1.batches.jsonl", "com.mka1.batches.observability");

    /**
     * The public methods the public types of the root package declare (nested types included;
     * synthetic and bridge methods aside). 370 before issue 24, whose target is 270; 316 once each
     * operation had one signature per mode and view ({@code withOptions} instead of the overloads
     * taking {@code RequestOptions}) and one {@code Page}; 293 once each setting had one way in:
     * the client builder's per-call setters folded into {@code requestOptions(RequestOptions)},
     * {@code WaitOptions.requestOptions} into the view's {@code withOptions}, the parameterless
     * {@code list()}, {@code waitForCompletion(id)}, {@code BatchStatuses}' {@code BatchObject}
     * overloads and {@code RequestOptions.Builder.headers(Map)} gone, and {@code over},
     * {@code isRetryable} and {@code backoff} moved to {@code internal}, {@code RetryPolicy.none()}
     * folded into {@code maxRetries(0)}; 303 with the run's rounds (issue 25: maxAttempts, ResultCheck
     * and its Verdict, the attempts of an outcome). Lower this as the surface shrinks.
     */
    private static final int PUBLIC_METHOD_BUDGET = 303;

    @Test
    void theRootPackageStaysWithinItsPublicMethodBudget() throws Exception {
        List<Class<?>> types = publicTypes("com.mka1.batches");
        int methods = 0;
        for (Class<?> type : types) {
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                    methods++;
                }
            }
        }
        System.out.println("com.mka1.batches: " + types.size() + " public types, " + methods + " public methods");

        assertThat(methods)
                .as("public methods declared by the public types of com.mka1.batches")
                .isLessThanOrEqualTo(PUBLIC_METHOD_BUDGET);
    }

    @Test
    void noTwoPublicTypesOfTheApiShareASimpleName() throws Exception {
        Map<String, List<String>> byName = new TreeMap<>();
        for (String pkg : API_PACKAGES) {
            for (Class<?> type : publicTypes(pkg)) {
                if (!type.getSimpleName().equals("Builder")
                        && !type.getSimpleName().equals("WithRawResponse")) {
                    byName.computeIfAbsent(type.getSimpleName(), name -> new ArrayList<>())
                            .add(type.getName());
                }
            }
        }
        byName.values().removeIf(names -> names.size() < 2);

        assertThat(byName).as("public types sharing a simple name").isEmpty();
    }

    /** The public types of {@code pkg}, nested ones included, that a user can name. */
    private static List<Class<?>> publicTypes(String pkg)
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path location = Paths.get(Mka1Client.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<String> names;
        try (Stream<Path> files = Files.list(location.resolve(pkg.replace('.', '/')))) {
            names = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.equals("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .sorted()
                    .collect(Collectors.toList());
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(pkg + "." + name);
            if (isNameable(type)) {
                types.add(type);
            }
        }
        return types;
    }

    private static boolean isNameable(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic() || !Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void theRootPackageHasAtMostTwentyPublicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Paths.get(Mka1Client.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve("com/mka1/batches");
        List<String> names;
        try (Stream<Path> files = Files.list(classes)) {
            names = files.map(path -> path.getFileName().toString())
                    .filter(name ->
                            name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .sorted()
                    .collect(Collectors.toList());
        }
        List<String> publicTypes = new ArrayList<>();
        for (String name : names) {
            if (Modifier.isPublic(Class.forName("com.mka1.batches." + name).getModifiers())) {
                publicTypes.add(name);
            }
        }

        assertThat(publicTypes)
                .as("public top-level types of com.mka1.batches")
                .hasSizeLessThanOrEqualTo(20)
                .contains("Mka1Client", "BatchService", "FileService", "Page", "RequestOptions", "RawResponse");
        assertThat(names)
                .as("no package-private machinery beside the API: it belongs in internal")
                .containsExactlyInAnyOrderElementsOf(publicTypes);
    }
}
