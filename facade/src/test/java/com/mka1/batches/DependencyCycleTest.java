package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two top-level classes of the facade depend on each other, directly or through others: each
 * can be read, tested and changed from its dependencies up. The dependencies are the compiled
 * classes' own, as {@code jdeps} reads them, a nested class counting as its top-level class.
 */
class DependencyCycleTest {
    @Test
    void noTopLevelClassOfTheFacadeIsInADependencyCycle() throws Exception {
        Path classes = Paths.get(Mka1Client.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());

        Map<String, Set<String>> graph = dependencies(classes);

        assertThat(graph)
                .as("the facade's classes, read by jdeps")
                .containsKeys("com.mka1.batches.Mka1Client", "com.mka1.batches.internal.CallEngine");
        assertThat(cycles(graph))
                .as("groups of top-level classes that depend on each other")
                .isEmpty();
    }

    /** Top-level class → the facade's top-level classes it uses. */
    static Map<String, Set<String>> dependencies(Path classes) throws Exception {
        Set<String> ours;
        try (Stream<Path> files = Files.walk(classes)) {
            ours = files.map(path -> classes.relativize(path).toString().replace('\\', '/'))
                    .filter(name -> name.endsWith(".class") && !name.endsWith("-info.class"))
                    .map(name -> topLevel(
                            name.substring(0, name.length() - ".class".length()).replace('/', '.')))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new AssertionError("this test needs a JDK with jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(
                new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none", classes.toString());
        assertThat(status).as("jdeps: %s", err).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        ours.forEach(name -> graph.put(name, new TreeSet<>()));
        for (String line : out.toString().split("\\R")) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 3 || !words[1].equals("->")) {
                continue;
            }
            String from = topLevel(words[0]);
            String to = topLevel(words[2]);
            if (!from.equals(to) && ours.contains(from) && ours.contains(to)) {
                graph.get(from).add(to);
            }
        }
        return graph;
    }

    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }

    /** The strongly connected components of more than one class (Tarjan's algorithm), each sorted. */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> cycles = new ArrayList<>();
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, cycles);
            }
        }
        return cycles;
    }

    private static void connect(
            String node,
            Map<String, Set<String>> graph,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            List<Set<String>> cycles) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : graph.get(node)) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, cycles);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }
}
