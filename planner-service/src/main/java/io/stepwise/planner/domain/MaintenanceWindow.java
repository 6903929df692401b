package io.stepwise.planner.domain;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * When a cluster may be changed: on {@code days} (MONDAY..SUNDAY; empty: every day), from {@code start} (HH:mm, local
 * to {@code timeZone}) for {@code duration} (ISO-8601). A window may run past midnight.
 */
public record MaintenanceWindow(List<DayOfWeek> days, String start, String duration, String timeZone) {

    /** Whether work of {@code needed} may begin at {@code at}: an opening of this window holds all of it. */
    public boolean fits(Instant at, Duration needed) {
        return opening(at, needed) != null && !opening(at, needed).isAfter(at);
    }

    /**
     * The earliest time, from {@code after} on, when work of {@code needed} fits inside one opening of this window;
     * null if it never does (longer than the window).
     */
    public Instant nextFit(Instant after, Duration needed) {
        return opening(after, needed);
    }

    private Instant opening(Instant at, Duration needed) {
        Duration length = Duration.parse(duration);
        if (needed.compareTo(length) > 0) {
            return null;
        }
        ZoneId zone = ZoneId.of(timeZone);
        LocalDate day = at.atZone(zone).toLocalDate().minusDays(length.toDays() + 1);
        for (int i = 0; i < 15 + length.toDays(); i++, day = day.plusDays(1)) {
            if (days != null && !days.isEmpty() && !days.contains(day.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime opens = ZonedDateTime.of(day, LocalTime.parse(start), zone);
            Instant latestStart = opens.toInstant().plus(length).minus(needed);
            if (latestStart.isBefore(at)) {
                continue;
            }
            return opens.toInstant().isAfter(at) ? opens.toInstant() : at;
        }
        return null;
    }

    /** "MON,TUE 22:00 for PT4H (Europe/Berlin)". */
    public String describe() {
        String on = days == null || days.isEmpty() ? "daily" : String.join(",", days.stream()
                .map(d -> d.name().substring(0, 3)).toList());
        return on + " " + start + " for " + duration + " (" + timeZone + ")";
    }

    /** Whether work of {@code needed} may begin at {@code at} in one of {@code windows} (none: always). */
    public static boolean anyFits(List<MaintenanceWindow> windows, Instant at, Duration needed) {
        return windows == null || windows.isEmpty() || windows.stream().anyMatch(w -> w.fits(at, needed));
    }

    /** The earliest fit among {@code windows} from {@code after}; null if none ever fits. */
    public static Instant nextFit(List<MaintenanceWindow> windows, Instant after, Duration needed) {
        return windows.stream().map(w -> w.nextFit(after, needed)).filter(java.util.Objects::nonNull)
                .min(Instant::compareTo).orElse(null);
    }
}
