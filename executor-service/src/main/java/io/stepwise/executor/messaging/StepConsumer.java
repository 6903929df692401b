package io.stepwise.executor.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.stepwise.executor.ledger.StepRunner;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.ProbeRequested;
import io.stepwise.model.StepCancel;
import io.stepwise.model.StepRequested;
import io.stepwise.outbox.RecordBatches;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Accepts what the planner sends on {@code stepwise.steps} a poll at a time, told apart by the CloudEvents type
 * header: step requests ({@code io.stepwise.step.requested}, also a record without a type, as sent before types were
 * read), cancels ({@code io.stepwise.step.cancel-requested}) and probes ({@code io.stepwise.cluster.probe-requested},
 * answered in the background). The ledger holds them before the records are
 * acknowledged. A record that cannot be read (an unknown type included), or recorded even on its own, is parked in
 * {@code stepwise.steps.dlq} ({@link RecordBatches}).
 */
@ApplicationScoped
public class StepConsumer {

    public static final String CHANNEL = "steps";

    /** A readable record of the steps topic. */
    sealed interface Inbound {
        record Request(StepRequested step) implements Inbound {
        }

        record Cancel(StepCancel cancel) implements Inbound {
        }

        record Probe(ProbeRequested probe) implements Inbound {
        }
    }

    private final StepRunner runner;
    private final RecordBatches batches;
    private final ObjectMapper json;

    public StepConsumer(StepRunner runner, RecordBatches batches, ObjectMapper json) {
        this.runner = runner;
        this.batches = batches;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        batches.apply(records, this::read, this::applyAll, this::applyOne);
    }

    private void applyAll(List<Inbound> inbound) {
        List<StepRequested> steps = new ArrayList<>();
        List<StepCancel> cancels = new ArrayList<>();
        List<ProbeRequested> probes = new ArrayList<>();
        for (Inbound item : inbound) {
            if (item instanceof Inbound.Request request) {
                steps.add(request.step());
            } else if (item instanceof Inbound.Cancel cancel) {
                cancels.add(cancel.cancel());
            } else if (item instanceof Inbound.Probe probe) {
                probes.add(probe.probe());
            }
        }
        runner.accept(steps, cancels, probes);
    }

    private void applyOne(Inbound item) {
        if (item instanceof Inbound.Request request) {
            runner.acceptAlone(request.step());
        } else if (item instanceof Inbound.Cancel cancel) {
            runner.cancelAlone(cancel.cancel());
        } else if (item instanceof Inbound.Probe probe) {
            runner.probeAlone(probe.probe());
        }
    }

    private Inbound read(ConsumerRecord<String, String> record) throws Exception {
        String type = type(record);
        if (type == null || StepRequested.TYPE.equals(type)) {
            return new Inbound.Request(readStep(record));
        }
        if (StepCancel.TYPE.equals(type)) {
            StepCancel cancel = json.readValue(record.value(), StepCancel.class);
            if (cancel.stepId() == null || cancel.rolloutId() == null || cancel.clusterId() == null
                    || cancel.attempt() < 1) {
                throw new IllegalArgumentException("step cancel without stepId, rolloutId, clusterId or attempt");
            }
            return new Inbound.Cancel(cancel);
        }
        if (ProbeRequested.TYPE.equals(type)) {
            ProbeRequested probe = json.readValue(record.value(), ProbeRequested.class);
            if (probe.probeId() == null || probe.clusterId() == null || probe.product() == null) {
                throw new IllegalArgumentException("probe request without probeId, clusterId or product");
            }
            return new Inbound.Probe(probe);
        }
        throw new IllegalArgumentException("unknown event type " + type + " on " + record.topic());
    }

    private StepRequested readStep(ConsumerRecord<String, String> record) throws Exception {
        StepRequested step = json.readValue(record.value(), StepRequested.class);
        if (step.stepId() == null || step.rolloutId() == null || step.kind() == null || step.product() == null
                || step.clusterId() == null) {
            throw new IllegalArgumentException("step request without stepId, rolloutId, kind, product or clusterId");
        }
        return step;
    }

    private static String type(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(CloudEventHeaders.TYPE);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
