package io.stepwise.planner.rest.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Each cluster of a list given once: a second one with an id already given is named ({@code clusters[2].id}). */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = DistinctIds.Validator.class)
public @interface DistinctIds {

    String message() default "appears more than once: give each cluster once";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** An element of such a list. */
    interface Identified {
        String id();
    }

    class Validator implements ConstraintValidator<DistinctIds, List<? extends Identified>> {
        @Override
        public boolean isValid(List<? extends Identified> list, ConstraintValidatorContext context) {
            if (list == null) {
                return true;
            }
            boolean valid = true;
            Map<String, Integer> first = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                Identified element = list.get(i);
                if (element == null || element.id() == null) {
                    continue;
                }
                Integer earlier = first.putIfAbsent(element.id(), i);
                if (earlier != null) {
                    if (valid) {
                        context.disableDefaultConstraintViolation();
                    }
                    valid = false;
                    context.buildConstraintViolationWithTemplate("the same id as [" + earlier + "]: give each cluster"
                            + " once").addPropertyNode("id").inIterable().atIndex(i).addConstraintViolation();
                }
            }
            return valid;
        }
    }
}
