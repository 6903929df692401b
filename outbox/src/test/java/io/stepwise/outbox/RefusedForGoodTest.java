package io.stepwise.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** Which refusals park an outbox row, and which leave it to be sent again. */
class RefusedForGoodTest {

    private final RefusedForGood refusedForGood = new RefusedForGood();

    @Test
    void whatTheRowItselfCanNeverBeIsRefusedForGood() {
        assertThat(refusedForGood).accepts(new RecordTooLargeException("over max.message.bytes"),
                new RecordBatchTooLargeException("over the segment size"), new InvalidRecordException("no key"),
                new InvalidTopicException("bad name"), new SerializationException("cannot serialize"),
                new KafkaException("wrapped", new RecordTooLargeException("inside")));
    }

    @Test
    void whatPassesOrIsAboutTheServicesLoginIsSentAgain() {
        assertThat(refusedForGood).rejects(new TimeoutException("broker away"),
                new NotLeaderOrFollowerException("leader moved"), new UnknownTopicOrPartitionException("not yet"),
                new TopicAuthorizationException("no Write on stepwise.steps"),
                new SaslAuthenticationException("wrong password"), new KafkaException("anything else"),
                new IllegalStateException("a bug"));
    }

    @Test
    void theReasonIsTheRefusalItselfAndAFatalErrorAsksForANewProducer() {
        RecordTooLargeException inside = new RecordTooLargeException("inside");
        assertThat(RefusedForGood.reason(new KafkaException("wrapped", inside))).isSameAs(inside);
        assertThat(RefusedForGood.fatalToProducer(new KafkaException("failed", new ClusterAuthorizationException("no"))))
                .isTrue();
        assertThat(RefusedForGood.fatalToProducer(new TopicAuthorizationException("no Write"))).isFalse();
    }
}
