package io.stepwise.outbox;

import java.sql.SQLException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether a failed write of a consumed record is worth retrying ({@code @RetryWhen(exception = TransientFailure.class)}):
 * a lost connection, a deadlock or a database restarting may pass; bad data, a broken constraint or a bug will not,
 * and retrying them only stalls the consumer (thirty retries half a second apart) before the record is parked anyway.
 *
 * <p>Permanent: an {@link IllegalArgumentException} or {@link IllegalStateException} (the record or the stored state
 * is wrong), or a database error of SQLSTATE class 22 (data exception, e.g. a value too long), 23 (integrity
 * constraint violation) or 42 (syntax error or undefined object) anywhere in the causes. Anything else is retried:
 * when in doubt, a retry is the safe side.
 */
public final class TransientFailure implements Predicate<Throwable> {

    /** SQLSTATE classes (the first two characters) a retry cannot cure. */
    private static final Set<String> PERMANENT_SQL_STATE_CLASSES = Set.of("22", "23", "42");

    @Override
    public boolean test(Throwable failure) {
        if (failure instanceof IllegalArgumentException || failure instanceof IllegalStateException) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && PERMANENT_SQL_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return false;
            }
        }
        return true;
    }
}
