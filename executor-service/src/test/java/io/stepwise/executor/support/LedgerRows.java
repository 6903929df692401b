package io.stepwise.executor.support;

import io.stepwise.testing.PostgresResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The executor's ledger as a test reads it: plain SQL on the tests' database, outside the application. */
public final class LedgerRows {

    private LedgerRows() {
    }

    /** One step_execution row, or null. */
    public static Map<String, Object> execution(String stepId, int attempt) {
        List<Map<String, Object>> rows = query("select * from step_execution where step_id = ? and attempt = ?", stepId,
                attempt);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public static String state(String stepId, int attempt) {
        Map<String, Object> row = execution(stepId, attempt);
        return row == null ? null : (String) row.get("state");
    }

    public static Instant instant(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }

    public static List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection c = PostgresResource.connect("postgres"); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        Object value = r.getObject(i);
                        if (value instanceof java.sql.Timestamp ts) {
                            value = ts.toInstant().atOffset(java.time.ZoneOffset.UTC);
                        }
                        row.put(r.getMetaData().getColumnLabel(i), value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static int update(String sql, Object... parameters) {
        try (Connection c = PostgresResource.connect("postgres"); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
