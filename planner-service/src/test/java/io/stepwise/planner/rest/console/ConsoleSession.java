package io.stepwise.planner.rest.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stepwise.planner.testing.AdminByDefault;
import java.util.HashMap;
import java.util.Map;

/**
 * A person signed in to the console the way a browser does it: sent to the issuer's sign-in page, back with a code,
 * exchanged by the planner for tokens, kept as the session cookie. Requests carry no bearer token.
 */
record ConsoleSession(Map<String, String> cookies) {

    /** Signs in as {@code local-<role>}. */
    static ConsoleSession signIn(String role) {
        Response page = anonymous().get("/console/fleet");
        assertThat(page.statusCode()).as("a page without a session leads to the sign-in").isEqualTo(302);
        String signInPage = page.header("Location");
        assertThat(signInPage).contains("/issuer/auth?").contains("code_challenge=");
        Map<String, String> cookies = new HashMap<>(page.getCookies());

        Response picked = anonymous().urlEncodingEnabled(false).get(signInPage + "&role=" + role);
        assertThat(picked.statusCode()).isEqualTo(302);
        String callback = picked.header("Location");
        assertThat(callback).contains("/console/signed-in?code=");

        Response back = anonymous().urlEncodingEnabled(false).cookies(cookies).get(callback);
        assertThat(back.statusCode()).as("the planner exchanged the code and went back to the page").isEqualTo(302);
        assertThat(back.header("Location")).endsWith("/console/fleet");
        back.getCookies().forEach((name, value) -> {
            if (value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        });
        return new ConsoleSession(cookies);
    }

    /** A request of this person's browser. */
    RequestSpecification browser() {
        return anonymous().cookies(cookies);
    }

    /** A request of this person's console page (htmx marks them). */
    RequestSpecification page() {
        return browser().header("HX-Request", "true");
    }

    static RequestSpecification anonymous() {
        return given().header("Authorization", AdminByDefault.NO_TOKEN).redirects().follow(false);
    }
}
