package dev.ringback.server.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The times a caller hears proposed, read from the agent's words (the SMS arrived Tuesday 1 December 2026, 09:10). */
class OfferReaderTest {
    private final OfferReader reader = new OfferReader(LocalDateTime.of(2026, 12, 1, 9, 10));

    private static OfferedTime at(int day, int hour) {
        return new OfferedTime(LocalDate.of(2026, 12, day), LocalTime.of(hour, 0));
    }

    @Test
    void aDayAndAnArrivalWindowIsAnOffer() {
        assertEquals(List.of(at(3, 9)), reader.offers("I can have someone there Thursday the third, between nine and eleven in the morning."));
        assertEquals(List.of(at(1, 13)), reader.offers("The earliest I can get someone there is today, between one and three in the afternoon."));
        assertEquals(List.of(at(2, 7)), reader.offers("The first free time is tomorrow, between seven and nine in the morning."));
        assertEquals(List.of(at(4, 11)), reader.offers("I can move it to Friday the fourth, between eleven in the morning and one in the afternoon."));
    }

    @Test
    void twoOffersInOneSentenceAreBothRead() {
        assertEquals(List.of(at(3, 7), at(3, 9)),
                reader.offers("Thursday the third, between seven and nine in the morning, or Thursday the third, between nine and eleven in the morning?"));
    }

    @Test
    void aBookingAlreadyMadeOrACallBackIsNoOffer() {
        assertTrue(reader.offers("You're booked in for Thursday the third, between seven and nine in the morning.").isEmpty());
        assertTrue(reader.offers("Done. Your visit is now Friday the fourth, between one and three in the afternoon.").isEmpty());
        assertTrue(reader.offers("Sure. We'll call you back today at three in the afternoon.").isEmpty());
        assertTrue(reader.offers("What day would suit you?").isEmpty());
    }

}
