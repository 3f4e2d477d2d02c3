package dev.ringback.agent;

import dev.ringback.agent.business.BusinessProfile;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the scenario files are: the shared folder beside the project (when present) and this module's copies. */
final class ScenarioFiles {
    private ScenarioFiles() {}

    static Path sharedDir() {
        String root = System.getProperty("ringback.root", "..");
        return Path.of(root).resolve("../shared/scenarios").normalize();
    }

    static Path resourceDir(String name) {
        URL url = ScenarioFiles.class.getResource("/" + name);
        if (url == null) throw new IllegalStateException("missing test resource folder " + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> scenarios(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("business.yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static BusinessProfile businessFor(Path scenarioDir) {
        Path beside = scenarioDir.resolve("business.yaml");
        if (Files.exists(beside)) return BusinessProfile.load(beside);
        return BusinessProfile.load(resourceDir("scenarios").resolve("business.yaml"));
    }

    static List<Path> all() {
        List<Path> all = new ArrayList<>(scenarios(sharedDir()));
        all.addAll(scenarios(resourceDir("scenarios")));
        return all;
    }
}
