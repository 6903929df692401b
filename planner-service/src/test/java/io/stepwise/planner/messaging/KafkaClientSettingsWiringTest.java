package io.stepwise.planner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.outbox.KafkaClientSettings;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The planner's hand-built clients are configured from the map its SmallRye channels are (Quarkus'
 * default-kafka-broker), each taking only what its kind of client knows.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class KafkaClientSettingsWiringTest {

    @Inject
    KafkaClientSettings kafka;

    @Test
    void theClientsTakeTheServicesKafkaSettingsButNotTheConsumersGroup() {
        Properties admin = kafka.admin("planner-service-topics");

        assertThat(admin).containsEntry("bootstrap.servers", KafkaResource.bootstrapServers())
                .containsEntry("client.id", "planner-service-topics");
        // Quarkus adds the application's name as group.id to the channels' map; a producer or admin has no group
        assertThat(admin).doesNotContainKey("group.id");
        assertThat(kafka.producer("planner-service-outbox")).doesNotContainKey("group.id")
                .containsEntry("bootstrap.servers", KafkaResource.bootstrapServers());
    }
}
