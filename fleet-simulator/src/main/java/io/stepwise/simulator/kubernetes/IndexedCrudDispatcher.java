package io.stepwise.simulator.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.HttpURLConnection;
import java.util.AbstractMap;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * fabric8's CRUD mock server, finding one named object by its storage key: the stock dispatcher matches a GET or
 * PATCH against every stored object, a cost that grows with the fleet. Every write passes through
 * {@link #processEvent}, which remembers the keys, so a name it does not know is not stored; a remembered key that
 * no longer matches falls back to the stock scan.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

    /** What the API server answers a write based on a stale read. */
    private static final Supplier<MockResponse> CONFLICT = () -> new MockResponse()
            .setResponseCode(HttpURLConnection.HTTP_CONFLICT)
            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\","
                    + "\"code\":409,\"message\":\"Operation cannot be fulfilled on statefulsets.apps: the object has been"
                    + " modified; please apply your changes to the latest version and try again\"}");

    private static final int MAX_LOGGED = 10_000;

    private final Map<String, AttributeSet> keysByName = new ConcurrentHashMap<>();
    private final KubernetesAttributesExtractor extractor = new KubernetesAttributesExtractor();
    /** Given "namespace/name" of a StatefulSet being written: whether to answer 409 Conflict instead. */
    private final Predicate<String> conflict;
    /** The latest requests, numbered, for tests that must show what a client did or did not ask. */
    private final Deque<Logged> requests = new ConcurrentLinkedDeque<>();
    private final AtomicInteger logged = new AtomicInteger();
    private final AtomicLong count = new AtomicLong();

    private record Logged(long seq, String line, String bearer) {
    }

    IndexedCrudDispatcher(Predicate<String> conflict) {
        this.conflict = conflict;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        synchronized (requests) {
            String authorization = request.getHeader("Authorization");
            String bearer = authorization != null && authorization.startsWith("Bearer ")
                    ? authorization.substring("Bearer ".length()) : null;
            requests.addLast(new Logged(count.incrementAndGet(), request.getMethod() + " " + request.getPath(), bearer));
        }
        if (logged.incrementAndGet() > MAX_LOGGED) {
            requests.pollFirst();
            logged.decrementAndGet();
        }
        return super.dispatch(request);
    }

    /** How many requests arrived so far. */
    long requestCount() {
        return count.get();
    }

    /**
     * The requests after the first {@code count} that are still kept (the latest {@value #MAX_LOGGED}), oldest first;
     * only those bearing {@code token} unless it is null.
     */
    List<String> requestsSince(long count, String token) {
        return requests.stream().filter(r -> r.seq() > count && (token == null || token.equals(r.bearer())))
                .map(Logged::line).toList();
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return conflicts(request) ? CONFLICT.get() : super.handleUpdate(request);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return conflicts(request) ? CONFLICT.get() : super.handlePatch(request);
    }

    /** A write of a StatefulSet itself (not its status subresource) that a KUBERNETES_CONFLICT fault hits. */
    private boolean conflicts(RecordedRequest request) {
        String path = request.getPath();
        String name = nameOf(getKey(path));
        int query = path.indexOf('?');
        return name != null && name.startsWith("statefulsets/")
                && !(query < 0 ? path : path.substring(0, query)).endsWith("/status")
                && conflict.test(name.substring("statefulsets/".length()));
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        String name = nameOf(query);
        if (name == null) {
            return super.findResource(query);
        }
        AttributeSet key = keysByName.get(name);
        if (key == null) {
            return null; // never written, or deleted
        }
        String stored = map.get(key);
        if (stored != null && key.matches(query)) {
            return new AbstractMap.SimpleImmutableEntry<>(key, stored);
        }
        Map.Entry<AttributeSet, String> found = super.findResource(query);
        if (found != null) {
            keysByName.put(name, found.getKey());
        }
        return found;
    }

    /** Stores or deletes an object (the stock code), then remembers its key the way the stock code built it. */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String newState) {
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (oldAttributes != null && nameOf(oldAttributes) != null) {
            keysByName.remove(nameOf(oldAttributes), oldAttributes);
        }
        if (newState != null) {
            AttributeSet key = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
            if (!key.containsKey(KubernetesAttributesExtractor.PLURAL)) {
                key = AttributeSet.merge(pathAttributes, key);
            }
            if (nameOf(key) != null) {
                keysByName.put(nameOf(key), key);
            }
        }
    }

    @Override
    public MockResponse handleGet(String path) {
        AttributeSet query = getKey(path);
        if (path.contains("watch=") || nameOf(query) == null) {
            return super.handleGet(path);
        }
        Map.Entry<AttributeSet, String> found = findResource(query);
        return found == null
                ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
                : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(found.getValue());
    }

    /** "statefulsets/ns/name" for a request naming one object of one kind in one namespace; null otherwise. */
    private static String nameOf(AttributeSet query) {
        String plural = single(query.getAttribute(KubernetesAttributesExtractor.PLURAL));
        String namespace = single(query.getAttribute(KubernetesAttributesExtractor.NAMESPACE));
        String name = single(query.getAttribute(KubernetesAttributesExtractor.NAME));
        return plural == null || namespace == null || name == null ? null : plural + "/" + namespace + "/" + name;
    }

    private static String single(Attribute attribute) {
        if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
            return null;
        }
        return attribute.getValues().get(0).toString();
    }
}
