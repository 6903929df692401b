package io.stepwise.planner.rest.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.stepwise.planner.rules.TargetVersion;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/** A target as people write it (required): {@code 1.30.23}, {@code 1.30} or {@code latest}. */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = TargetVersionText.Validator.class)
public @interface TargetVersionText {

    String message() default "'${validatedValue}' is not a version: use ${forms}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<TargetVersionText, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value != null && !value.isBlank() && TargetVersion.parse(value).isPresent()) {
                return true;
            }
            HibernateConstraintValidatorContext hibernate = context.unwrap(HibernateConstraintValidatorContext.class);
            hibernate.addExpressionVariable("forms", TargetVersion.FORMS);
            if (value == null || value.isBlank()) {
                hibernate.disableDefaultConstraintViolation();
                hibernate.buildConstraintViolationWithTemplate("required: ${forms}").enableExpressionLanguage()
                        .addConstraintViolation();
            }
            return false;
        }
    }
}
