package io.stepwise.planner.rest.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.stepwise.model.Product;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/** A product Stepwise knows ({@code weaviate}, {@code pachyderm}); with {@code required}, null is refused too. */
@Target({FIELD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
@Constraint(validatedBy = KnownProduct.Validator.class)
public @interface KnownProduct {

    String message() default "unknown product '${validatedValue}'; one of ${known}";

    boolean required() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<KnownProduct, String> {

        private boolean required;

        @Override
        public void initialize(KnownProduct annotation) {
            required = annotation.required();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null ? !required : Product.fromId(value).isPresent()) {
                return true;
            }
            HibernateConstraintValidatorContext hibernate = context.unwrap(HibernateConstraintValidatorContext.class);
            hibernate.addExpressionVariable("known", String.join(", ", Product.ids()));
            if (value == null) {
                hibernate.disableDefaultConstraintViolation();
                hibernate.buildConstraintViolationWithTemplate("required; one of ${known}").enableExpressionLanguage()
                        .addConstraintViolation();
            }
            return false;
        }
    }
}
