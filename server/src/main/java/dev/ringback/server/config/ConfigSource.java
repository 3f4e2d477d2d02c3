package dev.ringback.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Flat view of the YAML config ("sip.trunk.host") with environment overrides
 * (RINGBACK_SIP_TRUNK_HOST). Typed access reports bad values with the key and where it came from.
 */
public final class ConfigSource {
    private final Map<String, String> values;
    private final Map<String, String> origin;

    private ConfigSource(Map<String, String> values, Map<String, String> origin) {
        this.values = values;
        this.origin = origin;
    }

    public static ConfigSource load(Path yaml, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        if (yaml != null) {
            if (!Files.isRegularFile(yaml)) throw new ConfigException("config file not found: " + yaml);
            try {
                JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile());
                if (root != null) flatten("", root, values);
            } catch (IOException e) {
                throw new ConfigException("cannot read " + yaml + ": " + e.getMessage());
            }
            values.keySet().forEach(k -> origin.put(k, yaml.toString()));
        }
        for (String key : values.keySet().toArray(String[]::new)) {
            String envName = envName(key);
            if (env.containsKey(envName)) {
                values.put(key, env.get(envName));
                origin.put(key, "environment variable " + envName);
            }
        }
        overrides.forEach((k, v) -> {
            values.put(k, v);
            origin.put(k, "override");
        });
        return new ConfigSource(values, origin);
    }

    public static String envName(String key) {
        return "RINGBACK_" + key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            node.forEach(n -> sb.append(sb.length() == 0 ? "" : ",").append(n.asText()));
            out.put(prefix, sb.toString());
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        } else {
            out.put(prefix, "");
        }
    }

    public Optional<String> optional(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public String string(String key) {
        return optional(key).orElseThrow(() -> new ConfigException("missing config key " + key
                + " (set it in the config file or " + envName(key) + ")"));
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public int integer(String key, int fallback) {
        var v = optional(key);
        if (v.isEmpty()) return fallback;
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + v.get() + "' (from " + origin.get(key) + ")");
        }
    }

    public int port(String key, int fallback) {
        int p = integer(key, fallback);
        if (p < 0 || p > 65535) throw new ConfigException(key + " must be a port 0-65535, got " + p + " (from " + origin.get(key) + ")");
        return p;
    }

    public boolean bool(String key, boolean fallback) {
        var v = optional(key);
        if (v.isEmpty()) return fallback;
        return switch (v.get().trim().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + " must be true or false, got '" + v.get() + "' (from " + origin.get(key) + ")");
        };
    }

    public String originOf(String key) {
        return origin.getOrDefault(key, "default");
    }
}
