package dev.ringback.agent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module's packages depend one way: each imports only the packages listed before it (see package-info). */
class PackageDependenciesTest {
    private static final List<String> LAYERS = List.of("business", "store", "language", "tools", "policy", "", "dialog", "scenario");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.ringback\\.agent\\.((?:[a-z]\\w*\\.)*)[A-Z]", Pattern.MULTILINE);

    @Test
    void everyImportPointsToAnEarlierPackage() throws IOException {
        Path sources = Path.of(System.getProperty("ringback.root", "..")).resolve("agent/src/main/java/dev/ringback/agent");
        assertTrue(Files.isDirectory(sources), "no sources at " + sources);
        List<String> backwards = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String from = sources.relativize(file.getParent()).toString().replace('/', '.');
                int fromLayer = layer(from, file);
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
                    if (!to.equals(from) && layer(to, file) >= fromLayer) {
                        backwards.add(sources.relativize(file) + " imports agent." + to);
                    }
                }
            }
        }
        assertEquals(List.of(), backwards);
    }

    @Test
    void theScorerDoesNotGradeWithThePolicyItScores() throws IOException {
        Path scenario = Path.of(System.getProperty("ringback.root", "..")).resolve("agent/src/main/java/dev/ringback/agent/scenario");
        try (Stream<Path> files = Files.list(scenario)) {
            for (Path file : files.toList()) {
                assertTrue(!Files.readString(file).contains("dev.ringback.agent.policy"), file + " uses the production policy");
            }
        }
    }

    private static int layer(String pkg, Path file) {
        int i = LAYERS.indexOf(pkg);
        if (i < 0) throw new AssertionError(file + ": package agent." + pkg + " has no place in the layer list");
        return i;
    }
}
