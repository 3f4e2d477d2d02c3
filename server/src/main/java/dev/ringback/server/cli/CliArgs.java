package dev.ringback.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} options and {@code --flag} switches. */
public record CliArgs(Map<String, String> options, Set<String> flags) {
    private static final Set<String> SWITCHES = Set.of("json");

    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public static CliArgs parse(String[] args) throws UsageException {
        Map<String, String> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
            String name = a.substring(2);
            if (SWITCHES.contains(name)) {
                flags.add(name);
            } else {
                if (i + 1 >= args.length) throw new UsageException("--" + name + " needs a value");
                options.put(name, args[++i]);
            }
        }
        return new CliArgs(options, flags);
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public Path existingFile(String name, String fallback) throws UsageException {
        Path p = Path.of(option(name).orElse(fallback));
        if (!Files.isRegularFile(p)) throw new UsageException("--" + name + ": no such file: " + p);
        return p;
    }

    public void allowOnly(String... names) throws UsageException {
        Set<String> allowed = Set.of(names);
        for (String n : options.keySet()) if (!allowed.contains(n)) throw new UsageException("unknown option --" + n);
        for (String n : flags) if (!allowed.contains(n)) throw new UsageException("unknown option --" + n);
    }
}
