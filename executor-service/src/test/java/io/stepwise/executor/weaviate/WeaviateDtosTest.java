package io.stepwise.executor.weaviate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatus;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatusResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.ClusterStatisticsResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.NodeHealth;
import io.stepwise.executor.weaviate.WeaviateDtos.NodesStatusResponse;
import org.junit.jupiter.api.Test;

/** The shapes of DOMAIN.md §1, read the way the REST client reads them (a plain Jackson mapper, no special features). */
class WeaviateDtosTest {

    private final ObjectMapper json = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @Test
    void statisticsReadsMissingBooleansAsFalseAndRaftNumbersAsStrings() throws Exception {
        String body = """
                { "statistics": [
                    { "name": "weaviate-0", "status": "HEALTHY", "bootstrapped": true, "dbLoaded": true,
                      "initialLastAppliedIndex": 123, "lastAppliedIndex": 456, "isVoter": true,
                      "leaderId": "weaviate-0", "leaderAddress": "10.244.2.3:8300", "open": true, "ready": true, "candidates": {},
                      "raft": { "appliedIndex": "456", "commitIndex": "456", "fsmPending": "0", "lastContact": "0",
                                "lastLogIndex": "456", "lastLogTerm": "2", "lastSnapshotIndex": "0", "lastSnapshotTerm": "0",
                                "latestConfiguration": [], "latestConfigurationIndex": "0", "numPeers": "2",
                                "protocolVersion": "3", "protocolVersionMax": "3", "protocolVersionMin": "0",
                                "snapshotVersionMax": "1", "snapshotVersionMin": "0", "state": "Leader", "term": "2" } },
                    { "name": "weaviate-1", "status": "UNAVAILABLE" } ],
                  "synchronized": false }
                """;
        ClusterStatisticsResponse stats = json.readValue(body, ClusterStatisticsResponse.class);

        assertThat(stats.isSynchronized()).isFalse();
        assertThat(stats.statistics()).hasSize(2);
        assertThat(stats.statistics().get(0).isVoter()).isTrue();
        assertThat(stats.statistics().get(0).ready()).isTrue();
        assertThat(stats.statistics().get(0).raft().appliedIndex()).isEqualTo("456");
        // Weaviate omits false booleans: an unreachable node carries none of them.
        var down = stats.statistics().get(1);
        assertThat(down.status()).isEqualTo(NodeHealth.UNAVAILABLE);
        assertThat(down.ready()).isFalse();
        assertThat(down.isVoter()).isFalse();
        assertThat(down.open()).isFalse();
        assertThat(down.bootstrapped()).isFalse();
        assertThat(down.raft()).isNull();
    }

    @Test
    void synchronizedTrueIsRead() throws Exception {
        ClusterStatisticsResponse stats = json.readValue("{\"statistics\":[],\"synchronized\":true}",
                ClusterStatisticsResponse.class);
        assertThat(stats.isSynchronized()).isTrue();
    }

    @Test
    void unknownEnumValuesFromLaterVersionsDoNotBreakParsing() throws Exception {
        NodesStatusResponse nodes = json.readValue("""
                {"nodes":[{"name":"weaviate-0","status":"DRAINING","version":"1.40.0","gitHash":"abc",
                           "stats":{"shardCount":3,"objectCount":1000},"operationalMode":"ScaleOut"},
                          {"name":"weaviate-1","status":"HEALTHY","version":"1.40.0"}]}
                """, NodesStatusResponse.class);
        assertThat(nodes.nodes()).extracting(n -> n.status()).containsExactly(NodeHealth.UNKNOWN, NodeHealth.HEALTHY);
        assertThat(nodes.nodes().get(0).healthyAt("1.40.0")).isFalse();
        assertThat(nodes.nodes().get(1).healthyAt("1.40.0")).isTrue();

        BackupStatusResponse backup = json.readValue(
                "{\"id\":\"b1\",\"backend\":\"s3\",\"path\":\"s3://x/b1\",\"status\":\"SOMETHING_NEW\"}", BackupStatusResponse.class);
        assertThat(backup.status()).isEqualTo(BackupStatus.UNKNOWN);
        assertThat(backup.status().isTerminal()).isFalse();
        assertThat(json.readValue("{\"status\":\"FINALIZING\"}", BackupStatusResponse.class).status())
                .isEqualTo(BackupStatus.FINALIZING);
        assertThat(json.readValue("{\"status\":\"CANCELED\"}", BackupStatusResponse.class).status().isTerminal()).isTrue();
    }

    @Test
    void aMissingStatusIsNotHealthy() throws Exception {
        NodesStatusResponse nodes = json.readValue("{\"nodes\":[{\"name\":\"weaviate-0\",\"version\":\"1.25.0\"}]}",
                NodesStatusResponse.class);
        assertThat(nodes.nodes().get(0).status()).isEqualTo(NodeHealth.UNKNOWN);
        assertThat(WeaviateNodes.allAt(nodes, "1.25.0", 1)).isFalse();
    }

    @Test
    void errorResponseMessagesAreExtracted() {
        assertThat(WeaviateErrorMapper.detail("{\"error\":[{\"message\":\"backup b1 already exists\"}]}"))
                .isEqualTo("backup b1 already exists");
        assertThat(WeaviateErrorMapper.detail("upstream connect error")).isEqualTo("upstream connect error");
        assertThat(WeaviateErrorMapper.detail("")).isEmpty();
    }
}
