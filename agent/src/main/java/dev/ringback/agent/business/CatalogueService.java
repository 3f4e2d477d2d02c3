package dev.ringback.agent.business;

import java.util.List;
import java.util.Objects;

/** One entry of the service catalogue: the agent may only name work the customer stated, matched through synonyms. */
public record CatalogueService(String id, String name, List<String> synonyms, boolean emergency) {
    public CatalogueService {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        synonyms = List.copyOf(synonyms);
    }
}
