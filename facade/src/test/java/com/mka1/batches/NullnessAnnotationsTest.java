package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.errors.ApiException;
import com.mka1.batches.internal.Checks;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallResult;
import java.io.IOException;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The API packages say which values may be null the way IDEs and Kotlin read it (JSpecify, whose
 * annotations are kept at run time): each is {@code @NullMarked}, and every parameter or return
 * value whose Javadoc says it may be {@code null} is {@code @Nullable}, so the two never drift apart.
 */
class NullnessAnnotationsTest {
    private static final List<Class<?>> API_PACKAGES =
            List.of(BatchService.class, ApiException.class, BatchResult.class, CallResult.class);
    private static final Path SOURCES = Paths.get("src", "main", "java");
    private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern NULL = Pattern.compile("\\bnull\\b");
    /** "never null", "not null", "no null keys", "null throws": a value that must not be null. */
    private static final Pattern NOT_NULL =
            Pattern.compile("(never|not|non-?|no)\\s*(\\{@code\\s+)?null|null}?\\s+throws|NullPointerException");

    private static final Set<String> PRIMITIVES =
            Set.of("int", "long", "boolean", "void", "double", "float", "short", "byte", "char");

    @Test
    void eachApiPackageIsNullMarkedAndTheOthersAreNot() {
        for (Class<?> type : API_PACKAGES) {
            assertThat(type.getPackage().isAnnotationPresent(NullMarked.class))
                    .as(type.getPackage().getName())
                    .isTrue();
        }
        assertThat(Checks.class.getPackage().isAnnotationPresent(NullMarked.class))
                .as("internal")
                .isFalse();
        assertThat(BatchObject.class.getPackage().isAnnotationPresent(NullMarked.class))
                .as("generated models")
                .isFalse();
    }

    @Test
    void whatMayBeNullSaysSoInItsType() throws Exception {
        assertThat(nullableReturn(RequestOptions.class.getMethod("onBehalfOf"))).isTrue();
        assertThat(nullableReturn(RequestOptions.class.getMethod("maxRetries"))).isTrue();
        assertThat(nullableReturn(ApiException.class.getMethod("requestId"))).isTrue();
        assertThat(nullableReturn(BatchResult.class.getMethod("bodyAs", Class.class)))
                .isTrue();
        assertThat(nullableReturn(Page.class.getMethod("lastId"))).isTrue();
        assertThat(nullableReturn(CallContext.class.getMethod("get", Object.class, Class.class)))
                .isTrue();
        assertThat(CallContext.class
                        .getMethod("put", Object.class, Object.class)
                        .getAnnotatedParameterTypes()[1]
                        .isAnnotationPresent(Nullable.class))
                .isTrue();
        assertThat(RequestOptions.class
                        .getMethod("equals", Object.class)
                        .getAnnotatedParameterTypes()[0]
                        .isAnnotationPresent(Nullable.class))
                .isTrue();

        assertThat(nullableReturn(RequestOptions.class.getMethod("headers")))
                .as("never null")
                .isFalse();
        assertThat(nullableReturn(BatchService.class.getMethod("get", String.class)))
                .isFalse();
    }

    private static boolean nullableReturn(Method method) {
        AnnotatedType type = method.getAnnotatedReturnType();
        return type.isAnnotationPresent(Nullable.class);
    }

    @Test
    void everyValueTheJavadocSaysMayBeNullIsNullable() throws IOException {
        List<String> unannotated = new ArrayList<>();
        for (Class<?> type : API_PACKAGES) {
            Path dir = SOURCES.resolve(type.getPackage().getName().replace('.', '/'));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.java")) {
                for (Path file : files) {
                    unannotated.addAll(unannotated(file));
                }
            }
        }

        assertThat(unannotated).isEmpty();
    }

    /** The parameters and returns of {@code file} documented as possibly null but not {@code @Nullable}. */
    private static List<String> unannotated(Path file) throws IOException {
        String source = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        Matcher doc = JAVADOC.matcher(source);
        while (doc.find()) {
            String rest = source.substring(doc.end());
            int end = firstOf(rest, '{', ';');
            String declaration = rest.substring(0, end).replaceAll("\\s+", " ").trim();
            int paren = declaration.indexOf('(');
            if (paren < 0 || declaration.matches(".*\\b(class|interface|enum|record)\\b.*")) {
                continue; // a type or a field
            }
            String head = declaration.substring(0, paren).trim();
            String[] headWords = head.split(" ");
            String where = file.getFileName() + " " + headWords[headWords.length - 1] + "(..)";
            String text = doc.group(1).replaceAll("\\n\\s*\\*", " ");
            for (String tag : text.split("(?=@(?:param|return|throws)\\b)")) {
                tag = tag.trim();
                if (tag.startsWith("@return") && mayBeNull(tag)) {
                    boolean primitive = headWords.length > 1 && PRIMITIVES.contains(headWords[headWords.length - 2]);
                    if (!primitive && !head.contains("@Nullable")) {
                        found.add(where + " returns");
                    }
                } else if (tag.startsWith("@param")) {
                    String[] words = tag.split("\\s+", 3);
                    if (words.length == 3
                            && mayBeNull(words[2])
                            && !parameter(declaration.substring(paren + 1), words[1])
                                    .contains("@Nullable")) {
                        found.add(where + " parameter " + words[1]);
                    }
                }
            }
        }
        return found;
    }

    private static boolean mayBeNull(String text) {
        return NULL.matcher(text).find() && !NOT_NULL.matcher(text).find();
    }

    /** The declaration of parameter {@code name} in a parameter list, generics' commas skipped. */
    private static String parameter(String parameters, String name) {
        int depth = 0;
        int start = 0;
        for (int i = 0; i < parameters.length(); i++) {
            char c = parameters.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if ((c == ',' && depth == 0) || c == ')') {
                String one = parameters.substring(start, i).trim();
                if (one.endsWith(" " + name)) {
                    return one;
                }
                start = i + 1;
            }
        }
        return "";
    }

    private static int firstOf(String text, char a, char b) {
        int i = text.indexOf(a);
        int j = text.indexOf(b);
        return i < 0 ? (j < 0 ? text.length() : j) : (j < 0 ? i : Math.min(i, j));
    }
}
