package io.stepwise.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time between two steps of a cluster goes, read from the timestamps both services already store:
 * <ol>
 *   <li>executor: step n finished ({@code step_execution.finished_at}) → its relay's transaction that sends the
 *       status starts ({@code outbox_event.sent_at}, Postgres {@code now()}: the relay transaction's start);</li>
 *   <li>→ the planner's transaction that applies it starts ({@code processed_event.processed_at}, also {@code now()}):
 *       select, produce with acks=all, the consumer's fetch and hand-over;</li>
 *   <li>→ the planner wrote step n+1's request ({@code outbox_event.created_at}): the batch's events before it and
 *       this one;</li>
 *   <li>→ the planner's relay transaction that sends it starts: the rest of the batch, its commit, the relay's
 *       wake-up;</li>
 *   <li>→ the executor recorded step n+1 ({@code step_execution.received_at}): select, produce, fetch, hand-over;
 *       and, when a worker was free, started it in the same transaction ({@code started_at}).</li>
 * </ol>
 * Both services run on this machine, so their clocks are one clock.
 */
final class DispatchBreakdown {

    static final List<String> SEGMENTS = List.of("1 executor commit -> its relay",
            "2 relay -> planner applies", "3 planner applies -> next step written", "4 written -> planner relay",
            "5 planner relay -> executor records");

    private DispatchBreakdown() {
    }

    static Map<String, Object> of(Stack stack, String rolloutId) throws Exception {
        record Attempt(String stepId, String clusterId, int seq, long received, long finished, String finishedEvent) {
        }
        Map<String, Attempt> byClusterSeq = new HashMap<>();
        Map<String, Long> sent;
        try (Connection c = Bench.postgres().connect(stack.executorDb)) {
            try (PreparedStatement s = c.prepareStatement("select step_id, attempt, cluster_id, seq, received_at,"
                    + " finished_at, state from step_execution where rollout_id = ?")) {
                s.setString(1, rolloutId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Attempt a = new Attempt(rs.getString(1), rs.getString(3), rs.getInt(4), micros(rs.getTimestamp(5)),
                                micros(rs.getTimestamp(6)), rs.getString(1) + ":" + rs.getInt(2) + ":"
                                + rs.getString(7).toLowerCase());
                        byClusterSeq.put(a.clusterId() + "#" + a.seq(), a);
                    }
                }
            }
            // the status events' ids, like the steps', begin with the rollout id
            sent = timesOf(c, "select event_id, sent_at from outbox_event where topic = 'stepwise.step-status'"
                    + " and event_id like ?", rolloutId);
        }
        Map<String, Long> applied;
        Map<String, Long> written;
        Map<String, Long> requestSent;
        try (Connection c = Bench.postgres().connect(stack.plannerDb)) {
            applied = timesOf(c, "select event_id, processed_at from processed_event where event_id like ?", rolloutId);
            written = timesOf(c, "select subject, created_at from outbox_event where topic = 'stepwise.steps'"
                    + " and subject like ?", rolloutId);
            requestSent = timesOf(c, "select subject, sent_at from outbox_event where topic = 'stepwise.steps'"
                    + " and subject like ?", rolloutId);
        }
        List<List<Double>> segments = new ArrayList<>();
        SEGMENTS.forEach(name -> segments.add(new ArrayList<>()));
        for (Attempt previous : byClusterSeq.values()) {
            Attempt next = byClusterSeq.get(previous.clusterId() + "#" + (previous.seq() + 1));
            Long[] t = {previous.finished(), sent.get(previous.finishedEvent()), applied.get(previous.finishedEvent()),
                    next == null ? null : written.get(next.stepId()), next == null ? null : requestSent.get(next.stepId()),
                    next == null ? null : next.received()};
            if (Arrays.asList(t).contains(null) || Arrays.asList(t).contains(0L)) {
                continue;
            }
            for (int i = 0; i < SEGMENTS.size(); i++) {
                segments.get(i).add((t[i + 1] - t[i]) / 1000.0);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < SEGMENTS.size(); i++) {
            m.put(SEGMENTS.get(i), Stats.summary(segments.get(i)));
        }
        return m;
    }

    /** Column 1 → the time in column 2 (µs), of the rows whose key (the only parameter) begins with the rollout id. */
    private static Map<String, Long> timesOf(Connection c, String query, String rolloutId) throws Exception {
        Map<String, Long> m = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, rolloutId + ":%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), micros(rs.getTimestamp(2)));
                }
            }
        }
        return m;
    }

    private static long micros(Timestamp t) {
        return t == null ? 0 : t.getTime() * 1000 + (t.getNanos() / 1000) % 1000;
    }
}
