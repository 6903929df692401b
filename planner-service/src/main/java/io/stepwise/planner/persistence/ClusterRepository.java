package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.domain.LabelSelector.Requirement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The inventory. Label selectors run in Postgres on the {@code labels} jsonb column, so paging stays exact. */
@ApplicationScoped
public class ClusterRepository implements PanacheRepositoryBase<Cluster, String> {

    /** One page of the clusters that match, ordered by id. {@code product} may be null for all products. */
    /** Loads these registrations into the persistence context in one query, for later lookups by id to meet them. */
    public void load(java.util.Collection<String> ids) {
        if (!ids.isEmpty()) {
            list("id in ?1", List.copyOf(ids));
        }
    }

    public List<Cluster> findMatching(LabelSelector selector, String product, int offset, int limit) {
        Query query = nativeQuery("select * from cluster", selector, product, " order by id offset :offset limit :limit",
                Cluster.class);
        query.setParameter("offset", offset);
        query.setParameter("limit", limit);
        @SuppressWarnings("unchecked")
        List<Cluster> clusters = query.getResultList();
        return clusters;
    }

    public long countMatching(LabelSelector selector, String product) {
        Query query = nativeQuery("select count(*) from cluster", selector, product, "", null);
        return ((Number) query.getSingleResult()).longValue();
    }

    /** How many of the matching clusters run each version, as rows of (product, version, count). */
    public List<Object[]> versionCounts(LabelSelector selector, String product) {
        Query query = nativeQuery("select product, version, count(*) from cluster", selector, product,
                " group by product, version", null);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows;
    }

    private Query nativeQuery(String select, LabelSelector selector, String product, String tail, Class<?> type) {
        StringBuilder sql = new StringBuilder(select).append(" where true");
        Map<String, Object> parameters = new HashMap<>();
        if (product != null) {
            sql.append(" and product = :product");
            parameters.put("product", product);
        }
        List<Requirement> requirements = selector.requirements();
        for (int i = 0; i < requirements.size(); i++) {
            Requirement r = requirements.get(i);
            String key = ":k" + i;
            String values = ":v" + i;
            parameters.put("k" + i, r.key());
            String label = "(labels ->> " + key + ")";
            sql.append(" and ").append(switch (r.operator()) {
                case EQUALS, IN -> label + " in (" + values + ")";
                case NOT_EQUALS, NOT_IN -> "(" + label + " is null or " + label + " not in (" + values + "))";
                case EXISTS -> "jsonb_exists(labels, " + key + ")";
                case DOES_NOT_EXIST -> "not jsonb_exists(labels, " + key + ")";
            });
            if (!r.values().isEmpty()) {
                parameters.put("v" + i, new ArrayList<>(r.values()));
            }
        }
        sql.append(tail);
        Query query = type == null ? getEntityManager().createNativeQuery(sql.toString())
                : getEntityManager().createNativeQuery(sql.toString(), type);
        parameters.forEach(query::setParameter);
        return query;
    }
}
