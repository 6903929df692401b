package io.stepwise.planner.rest.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.stepwise.model.DeploymentKind;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** How a cluster is deployed: {@code kubernetes}, {@code docker} or {@code command}. */
@Target({FIELD, TYPE_USE})
@Retention(RUNTIME)
@Constraint(validatedBy = DeploymentName.Validator.class)
public @interface DeploymentName {

    String message() default "unknown deployment '${validatedValue}'; one of kubernetes, docker, command";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<DeploymentName, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || DeploymentKind.fromId(value).isPresent();
        }
    }
}
