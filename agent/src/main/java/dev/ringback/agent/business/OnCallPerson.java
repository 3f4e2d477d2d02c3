package dev.ringback.agent.business;

import java.util.Objects;

/** Someone on the after-hours roster; phone is E.164. */
public record OnCallPerson(String name, String phone) {
    public OnCallPerson {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phone, "phone");
    }

    public String firstName() {
        int space = name.indexOf(' ');
        return space < 0 ? name : name.substring(0, space);
    }
}
