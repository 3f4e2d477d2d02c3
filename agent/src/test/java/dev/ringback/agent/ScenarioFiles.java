package dev.ringback.agent;

import dev.ringback.agent.business.BusinessProfile;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the scenario files are: the project's one copy in {@code conf/} (found through the {@code ringback.root}
 * property that surefire sets to the project root) and this module's own variations.
 */
final class ScenarioFiles {
    private ScenarioFiles() {}

    static Path projectRoot() {
        String root = System.getProperty("ringback.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property ringback.root is not set (surefire sets it to the project root; "
                    + "outside Maven pass -Dringback.root=PROJECT_DIR)");
        }
        return Path.of(root);
    }

    /** The public scenarios: the behaviour contract. */
    static Path scenarioDir() {
        return projectRoot().resolve("conf/scenarios");
    }

    /** The business every scenario and variation is played against. */
    static Path businessFile() {
        return projectRoot().resolve("conf/business.yaml");
    }

    static BusinessProfile business() {
        return BusinessProfile.load(businessFile());
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
        if (!Files.isDirectory(dir)) throw new IllegalStateException("no scenario folder at " + dir);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("business.yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
