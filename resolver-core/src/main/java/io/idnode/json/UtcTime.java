package io.idnode.json;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * The JSON form of value timestamps and absolute TTLs (handle-protocol.md §8): ISO-8601 UTC text such as
 * {@code 2026-01-31T12:00:00Z}. The plain form is read directly, because the general parser costs about a
 * microsecond a time and a bulk import reads several times a line.
 */
final class UtcTime {
    /** What {@link #plainUtcSeconds} returns for text it leaves to {@link Instant#parse}. */
    static final long NOT_PLAIN_UTC = Long.MIN_VALUE;

    private UtcTime() {
    }

    /** The text written for {@code unixSeconds}. */
    static String format(long unixSeconds) {
        return Instant.ofEpochSecond(unixSeconds).toString();
    }

    /** The seconds of an ISO-8601 instant: the plain form directly, anything else through {@link Instant#parse}. */
    static long parse(String text) throws DateTimeParseException {
        long seconds = plainUtcSeconds(text);
        return seconds != NOT_PLAIN_UTC ? seconds : Instant.parse(text).getEpochSecond();
    }

    /**
     * The seconds of {@code yyyy-MM-ddTHH:mm:ssZ}, the form {@link #format} writes. Any other text, or a field out
     * of its plain range (e.g. a leap second), gives {@link #NOT_PLAIN_UTC} and is left to {@link Instant#parse},
     * so what is accepted stays exactly what {@link Instant#parse} accepts.
     */
    static long plainUtcSeconds(String s) {
        if (s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
            return NOT_PLAIN_UTC;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return NOT_PLAIN_UTC;
        }
        if (!YearMonth.of(year, month).isValidDay(day)) {
            return NOT_PLAIN_UTC;
        }
        return LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3_600 + minute * 60 + second;
    }

    /** The value of {@code n} ASCII digits at {@code from}, or -1 if any is not a digit. */
    private static int digits(String s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
