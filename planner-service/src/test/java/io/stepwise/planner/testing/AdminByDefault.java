package io.stepwise.planner.testing;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.stepwise.testing.IssuerResource;
import java.util.Map;

/**
 * The test issuer, with every request the planner's tests send carrying an admin's token unless the test gives one of
 * its own (the tests of who may do what do; the others are about what the API does). {@link #NO_TOKEN} as the
 * Authorization header sends none.
 */
public class AdminByDefault extends IssuerResource {

    public static final String ADMIN = "test-admin";
    public static final String NO_TOKEN = "none";

    /** The Authorization header of the tests' admin, for clients other than RestAssured. */
    public static String adminAuthorization() {
        return "Bearer " + token(ADMIN, "admin");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = super.start();
        String admin = adminAuthorization();
        RestAssured.filters(new Filter() {
            @Override
            public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                                   FilterContext context) {
                String given = request.getHeaders().getValue("Authorization");
                if (given == null) {
                    request.header("Authorization", admin);
                } else if (NO_TOKEN.equals(given)) {
                    request.removeHeader("Authorization");
                }
                return context.next(request, response);
            }
        });
        return properties;
    }
}
