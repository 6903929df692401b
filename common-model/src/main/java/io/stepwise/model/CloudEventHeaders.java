package io.stepwise.model;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Kafka header names of CloudEvents binary mode (CloudEvents Kafka protocol binding 1.0). */
public final class CloudEventHeaders {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }

    /** The headers of one event in binary mode, JSON data; {@code subject} may be null. */
    public static Map<String, String> binaryMode(String id, String source, String type, Instant time, String subject) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, SPEC_VERSION_1_0);
        headers.put(ID, id);
        headers.put(SOURCE, source);
        headers.put(TYPE, type);
        headers.put(TIME, DateTimeFormatter.ISO_INSTANT.format(time));
        headers.put(CONTENT_TYPE, JSON);
        if (subject != null) {
            headers.put(SUBJECT, subject);
        }
        return headers;
    }
}
