package io.stepwise.planner.rest.problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Names a violated field as the request spells it: {@code clusters[3].nodes}, {@code labels.env},
 * {@code strategy.maxParallel}. Bean Validation starts a parameter's path with the resource method and the
 * parameter; both are left out, except a parameter that is itself the field (a query parameter; the body as a
 * whole is named {@code body}).
 */
public final class ViolationPaths {

    private ViolationPaths() {
    }

    public static String field(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            boolean last = i == nodes.size() - 1;
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR
                    || (node.getKind() == ElementKind.PARAMETER && !last)) {
                continue;
            }
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null && node.getKind() == ElementKind.CONTAINER_ELEMENT
                    && !"<map key>".equals(node.getName())) {
                field.append('.').append(node.getKey());
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
                continue;
            }
            if (field.length() > 0) {
                field.append('.');
            }
            field.append(node.getName());
        }
        return field.length() == 0 ? "body" : field.toString();
    }
}
