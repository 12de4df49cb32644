package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The root package holds only what users touch, and little of it: at most 21 public top-level
 * types (21 since {@link Sleeper} left {@link Mka1Client}: issue 24 merges the two page types, back
 * under 20), each of them documented API; the machinery is in {@code internal}.
 */
class PublicSurfaceTest {
    @Test
    void theRootPackageHasAtMostTwentyOnePublicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Paths.get(Mka1Client.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("com/mka1/batches");
        List<String> names;
        try (Stream<Path> files = Files.list(classes)) {
            names = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class"))
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

        assertThat(publicTypes).as("public top-level types of com.mka1.batches").hasSizeLessThanOrEqualTo(21)
                .contains("Mka1Client", "BatchService", "FileService", "BatchPage", "RequestOptions", "RawResponse");
        assertThat(names).as("no package-private machinery beside the API: it belongs in internal")
                .containsExactlyInAnyOrderElementsOf(publicTypes);
    }
}
