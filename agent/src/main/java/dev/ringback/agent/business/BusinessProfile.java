package dev.ringback.agent.business;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The business the agent speaks for: hours, booking rules, service catalogue, on-call roster (from business.yaml). */
public record BusinessProfile(String name, ZoneId timezone, String phone, Map<DayOfWeek, OpeningHours> hours,
                              int horizonDays, List<ArrivalWindow> arrivalWindows, int jobsPerWindow,
                              List<CatalogueService> services, List<OnCallPerson> onCall, boolean recordingDisclosure) {

    public BusinessProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timezone, "timezone");
        hours = Map.copyOf(hours);
        arrivalWindows = List.copyOf(arrivalWindows);
        services = List.copyOf(services);
        onCall = List.copyOf(onCall);
        if (horizonDays < 1) throw new IllegalArgumentException("horizonDays must be positive");
        if (jobsPerWindow < 1) throw new IllegalArgumentException("jobsPerWindow must be positive");
    }

    public static BusinessProfile load(Path yaml) {
        try (InputStream in = Files.newInputStream(yaml)) {
            return load(yaml, in);
        } catch (IOException e) {
            throw new InvalidBusinessProfileException(yaml, "(file)", "cannot read: " + e.getMessage(), e);
        }
    }

    private static BusinessProfile load(Path name, InputStream in) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new InvalidBusinessProfileException(name, "(file)", "not YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new InvalidBusinessProfileException(name, "(root)", "expected a mapping");
        return new Loader(name, root).load();
    }

    public Optional<OpeningHours> hoursOn(DayOfWeek day) {
        return Optional.ofNullable(hours.get(day));
    }

    public boolean isOpenAt(LocalDateTime time) {
        return hoursOn(time.getDayOfWeek()).map(h -> h.contains(time.toLocalTime())).orElse(false);
    }

    /** The arrival windows that fit inside that day's opening hours (none when closed). */
    public List<ArrivalWindow> windowsOn(LocalDate date) {
        return hoursOn(date.getDayOfWeek()).map(h -> arrivalWindows.stream().filter(h::covers).toList()).orElse(List.of());
    }

    /** A window can still be promised while at least an hour of it is left (business-local clock). */
    public boolean stillBookable(LocalDate date, ArrivalWindow window, LocalDateTime now) {
        return !LocalDateTime.of(date, window.end()).minusHours(1).isBefore(now);
    }

    public Optional<CatalogueService> service(String id) {
        return services.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Reads and validates one YAML document; every problem names the key. */
    private record Loader(Path file, JsonNode root) {
        BusinessProfile load() {
            String name = text(root, "name");
            ZoneId zone;
            try {
                zone = ZoneId.of(text(root, "timezone"));
            } catch (DateTimeException e) {
                throw fail("timezone", "unknown time zone '" + root.get("timezone").asText() + "'");
            }
            String phone = root.hasNonNull("phone") ? root.get("phone").asText() : "";
            Map<DayOfWeek, OpeningHours> hours = hours(node(root, "hours", "hours"));
            JsonNode booking = node(root, "booking", "booking");
            int horizon = positiveInt(booking, "horizon_days", "booking.horizon_days");
            int perWindow = positiveInt(booking, "jobs_per_window", "booking.jobs_per_window");
            List<ArrivalWindow> windows = new ArrayList<>();
            JsonNode windowsNode = node(booking, "arrival_windows", "booking.arrival_windows");
            if (!windowsNode.isArray() || windowsNode.isEmpty()) throw fail("booking.arrival_windows", "expected a non-empty list");
            for (int i = 0; i < windowsNode.size(); i++) {
                String key = "booking.arrival_windows[" + i + "]";
                try {
                    windows.add(ArrivalWindow.parse(windowsNode.get(i).asText()));
                } catch (RuntimeException e) {
                    throw fail(key, e.getMessage());
                }
            }
            List<CatalogueService> services = services(node(root, "services", "services"));
            List<OnCallPerson> onCall = new ArrayList<>();
            JsonNode onCallNode = root.path("on_call");
            for (int i = 0; i < onCallNode.size(); i++) {
                String key = "on_call[" + i + "]";
                JsonNode person = onCallNode.get(i);
                String personPhone = text(person, "phone", key + ".phone");
                if (!personPhone.matches("\\+[1-9][0-9]{6,14}")) throw fail(key + ".phone", "expected an E.164 number, got '" + personPhone + "'");
                onCall.add(new OnCallPerson(text(person, "name", key + ".name"), personPhone));
            }
            boolean disclosure = !root.has("recording_disclosure") || root.get("recording_disclosure").asBoolean(true);
            return new BusinessProfile(name, zone, phone, hours, horizon, windows, perWindow, services, onCall, disclosure);
        }

        private Map<DayOfWeek, OpeningHours> hours(JsonNode node) {
            if (!node.isObject()) throw fail("hours", "expected a mapping like mon-fri: \"07:00-17:00\"");
            Map<DayOfWeek, OpeningHours> hours = new EnumMap<>(DayOfWeek.class);
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = "hours." + field.getKey();
                String value = field.getValue().asText().trim();
                List<DayOfWeek> days = days(field.getKey(), key);
                if (value.equalsIgnoreCase("closed")) {
                    days.forEach(hours::remove);
                    continue;
                }
                OpeningHours open;
                try {
                    ArrivalWindow span = ArrivalWindow.parse(value);
                    open = new OpeningHours(span.start(), span.end());
                } catch (RuntimeException e) {
                    throw fail(key, "expected \"HH:mm-HH:mm\" or \"closed\", got '" + value + "'");
                }
                days.forEach(d -> hours.put(d, open));
            }
            return hours;
        }

        private List<DayOfWeek> days(String spec, String key) {
            List<DayOfWeek> days = new ArrayList<>();
            for (String part : spec.split(",")) {
                String[] range = part.trim().split("-");
                DayOfWeek from = day(range[0], key);
                DayOfWeek to = range.length > 1 ? day(range[1], key) : from;
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == to) break;
                }
            }
            return days;
        }

        private DayOfWeek day(String text, String key) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (DayOfWeek d : DayOfWeek.values()) {
                if (t.length() >= 3 && d.name().toLowerCase(Locale.ROOT).startsWith(t)) return d;
            }
            throw fail(key, "unknown day '" + text + "' (use mon, tue, ... or ranges like mon-fri)");
        }

        private List<CatalogueService> services(JsonNode node) {
            if (!node.isArray() || node.isEmpty()) throw fail("services", "expected a non-empty list");
            List<CatalogueService> services = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                String key = "services[" + i + "]";
                JsonNode s = node.get(i);
                String id = text(s, "id", key + ".id");
                if (!id.matches("[a-z0-9][a-z0-9-]{0,40}")) throw fail(key + ".id", "expected a short lower-case id, got '" + id + "'");
                if (services.stream().anyMatch(x -> x.id().equals(id))) throw fail(key + ".id", "duplicate id '" + id + "'");
                List<String> synonyms = new ArrayList<>();
                for (JsonNode syn : s.path("synonyms")) synonyms.add(syn.asText().trim().toLowerCase(Locale.ROOT));
                if (synonyms.isEmpty()) throw fail(key + ".synonyms", "expected at least one synonym");
                services.add(new CatalogueService(id, text(s, "name", key + ".name"), synonyms, s.path("emergency").asBoolean(false)));
            }
            return services;
        }

        private int positiveInt(JsonNode parent, String field, String key) {
            JsonNode n = node(parent, field, key);
            if (!n.canConvertToInt() || n.asInt() < 1) throw fail(key, "expected a positive whole number, got '" + n.asText() + "'");
            return n.asInt();
        }

        private String text(JsonNode parent, String field) {
            return text(parent, field, field);
        }

        private String text(JsonNode parent, String field, String key) {
            JsonNode n = node(parent, field, key);
            if (!n.isValueNode() || n.asText().isBlank()) throw fail(key, "expected a non-empty value");
            return n.asText().trim();
        }

        private JsonNode node(JsonNode parent, String field, String key) {
            JsonNode n = parent == null ? null : parent.get(field);
            if (n == null || n.isNull()) throw fail(key, "missing");
            return n;
        }

        private InvalidBusinessProfileException fail(String key, String problem) {
            return new InvalidBusinessProfileException(file, key, problem);
        }
    }
}
