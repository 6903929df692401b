package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in headless Chromium against the packaged planner and executor: people sign in through the issuer,
 * preview a plan, start it, watch it move without reloading, retry a failed cluster, approve a gate and check the
 * audit trail. A screenshot of every page a test ends on is kept under target/screens.
 */
class ConsoleIT {

    /** Cluster names of their own, so that a second run against the same data finds none of them busy. */
    private static final String RUN = java.util.UUID.randomUUID().toString().substring(0, 6);
    private static Stack stack;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Browsers.chromium();
        stack = new Stack("console", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(300))
                .withNodeRestartDuration(Duration.ofMillis(50))
                .withSyncDuration(Duration.ofMillis(50))
                .withTickInterval(Duration.ofMillis(10))).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void screenshotAndForget(TestInfo test) throws IOException {
        Browsers.screenshot(browser, test.getTestMethod().orElseThrow().getName());
        browser.manage().deleteAllCookies(); // the next test signs in afresh, whatever this one left
    }

    @Test
    void anOperatorPlansStartsWatchesAndRetriesAFailedClusterInTheBrowser() throws Exception {
        String fleet = "console-" + RUN;
        ClusterInfo healthy = stack.simulator.createCluster(ClusterSpec.weaviate(fleet + "-w-1", "1.29.11", 3,
                "kubernetes"));
        ClusterInfo flaky = stack.simulator.createCluster(ClusterSpec.weaviate(fleet + "-w-2", "1.29.11", 3,
                "kubernetes"));
        stack.register(healthy, Map.of("fleet", fleet));
        stack.register(flaky, Map.of("fleet", fleet));
        // the backup storage fails once; a retry backs up again under a new id (Weaviate never reuses one)
        stack.simulator.injectFault(Fault.of(flaky.id(), FaultType.BACKUP_FAILED).times(1));

        signIn("operator", "/console/plan");
        new Select(browser.findElement(By.name("product"))).selectByValue("weaviate");
        type(By.name("target"), "1.30");
        type(By.name("selector"), "fleet=" + fleet);
        browser.findElement(By.cssSelector("#plan-form button[type=submit]")).click();
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                browser.findElement(By.cssSelector("#plan-summary h2")).getText())
                .isEqualTo("2 clusters planned, 0 refused"));

        type(By.name("maxParallel"), "2");
        type(By.name("maxFailedClusters"), "2");
        browser.findElement(By.cssSelector("#start-form button[type=submit]")).click();
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().matches(".*/console/rollouts/[^/?]+$"));
        String rollout = browser.getCurrentUrl().replaceAll(".*/console/rollouts/", "");

        // the page follows the rollout by itself: the failed step shows, with its error and a Retry button
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(rowState(flaky.id())).isEqualTo("FAILED");
            assertThat(rowState(healthy.id())).isEqualTo("SUCCEEDED");
        });
        assertThat(row(flaky.id()).getText()).contains("BACKUP").contains("simulated storage failure");
        click(flaky.id(), "button.retry");

        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(browser.findElement(By.id("rollout-state")).getText()).isEqualTo("SUCCEEDED");
            assertThat(browser.findElement(By.id("summary")).getAttribute("data-percent")).isEqualTo("100");
        });
        assertThat(stack.get("/api/v1/rollouts/" + rollout + "?view=summary").get("state").asText())
                .isEqualTo("SUCCEEDED");
        assertThat(stack.simulator.weaviate(flaky.id()).version()).isEqualTo("1.30.23");
        Browsers.screenshot(browser, "rollout");

        browser.findElement(By.cssSelector("#audit summary")).click();
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                browser.findElement(By.id("audit-verdict")).getAttribute("data-valid")).isEqualTo("true"));
        assertThat(browser.findElements(By.cssSelector("#audit-entries tbody tr")).stream()
                .map(WebElement::getText).toList())
                .anyMatch(entry -> entry.contains("local-operator") && entry.contains("rollout.requested"))
                .anyMatch(entry -> entry.contains("local-operator") && entry.contains("cluster.retried"));
        assertThat(stack.simulator.violations()).isEmpty();
        signOut();
    }

    @Test
    void aViewerSeesNoButtonsAndAnotherPersonApprovesTheGate() throws Exception {
        ClusterInfo pachyderm = stack.simulator.createCluster(ClusterSpec.pachyderm("console-" + RUN + "-p-1", "2.9.5"));
        stack.register(pachyderm, Map.of("fleet", "console-gate"));
        String rollout = stack.startRollout(Map.of("product", "pachyderm", "targetVersion", "2.10",
                "clusterIds", List.of(pachyderm.id())));
        String page = "/console/rollouts/" + rollout;

        signIn("viewer", page);
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(rowState(pachyderm.id())).isEqualTo("AWAITING_APPROVAL"));
        assertThat(browser.findElements(By.cssSelector("#pause, #resume, #cancel, button.retry, button.approve")))
                .as("a viewer is offered nothing to press").isEmpty();
        signOut();

        signIn("approver", page);
        click(pachyderm.id(), "button.approve");
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(browser.findElement(By.id("rollout-state")).getText()).isEqualTo("SUCCEEDED"));
        assertThat(stack.get("/api/v1/rollouts/" + rollout + "/audit").findValuesAsText("actor"))
                .contains("local-approver");
        assertThat(stack.simulator.violations()).isEmpty();
        signOut();
    }

    @Test
    void anApproverPassesAGateAndEndsASoakInTheBrowser() throws Exception {
        String fleet = "console-soak-" + RUN;
        ClusterInfo canary = stack.simulator.createCluster(ClusterSpec.weaviate(fleet + "-1", "1.29.11", 3,
                "kubernetes"));
        ClusterInfo rest = stack.simulator.createCluster(ClusterSpec.weaviate(fleet + "-2", "1.29.11", 3,
                "kubernetes"));
        stack.register(canary, Map.of("fleet", fleet));
        stack.register(rest, Map.of("fleet", fleet));
        String rollout = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30",
                "selector", "fleet=" + fleet, "strategy", Map.of(
                        "waves", List.of(Map.of("name", "canary", "clusterIds", List.of(canary.id()),
                                "waitAfter", "P1D")),
                        "gates", List.of(Map.of("when", "before", "wave", "canary")))));

        signIn("approver", "/console/rollouts/" + rollout);
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                browser.findElement(By.id("waiting")).getText()).contains("gate before wave 'canary'"));
        assertThat(browser.findElement(By.cssSelector("#waves tr[data-wave='canary']")).getText())
                .contains("soak PT24H").contains("gate before (approver, pending)");
        assertThat(rowState(canary.id())).isEqualTo("WAITING");
        browser.findElement(By.id("approve-gate")).click();

        // the canary runs, then the rollout soaks a day: the page counts down and offers to end it
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(rowState(canary.id())).isEqualTo("SUCCEEDED");
            assertThat(browser.findElement(By.id("waiting")).getText()).contains("Soaking until").contains("left");
        });
        assertThat(rowState(rest.id())).isEqualTo("WAITING");
        Browsers.screenshot(browser, "soak");
        browser.findElement(By.id("end-wait")).click();
        browser.switchTo().alert().accept();
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(browser.findElement(By.id("rollout-state")).getText()).isEqualTo("SUCCEEDED"));
        String audit = stack.get("/api/v1/rollouts/" + rollout + "/audit").toString();
        assertThat(audit).contains("gate.approved").contains("soak.ended").contains("ended early by local-approver");
        assertThat(stack.simulator.violations()).isEmpty();
        signOut();
    }

    /** Clicks a button of a cluster's row, which the live part may have just drawn anew. */
    private static void click(String clusterId, String button) {
        await().ignoreExceptions().atMost(Duration.ofSeconds(10))
                .until(() -> {
                    row(clusterId).findElement(By.cssSelector(button)).click();
                    return true;
                });
    }

    private static void signIn(String role, String path) {
        browser.get(stack.planner.url() + path);
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("sign-in-" + role)).isEmpty());
        browser.findElement(By.id("sign-in-" + role)).click();
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(browser.findElement(By.id("who")).getText()).contains("local-" + role));
    }

    private static void signOut() {
        browser.findElement(By.id("sign-out")).click();
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().endsWith("/signed-out.html"));
    }

    private static WebElement row(String clusterId) {
        return browser.findElement(By.cssSelector("#rollout-clusters tr[data-cluster='" + clusterId + "']"));
    }

    private static String rowState(String clusterId) {
        return row(clusterId).getAttribute("data-state");
    }

    private static void type(By field, String text) {
        WebElement input = browser.findElement(field);
        input.clear();
        input.sendKeys(text);
    }

    /** Debian's Chromium and its driver, never a downloaded browser. */
    static final class Browsers {

        static final Path CHROMIUM = Path.of(System.getProperty("stepwise.chromium", "/usr/bin/chromium"));
        static final Path DRIVER = Path.of(System.getProperty("stepwise.chromedriver", "/usr/bin/chromedriver"));
        private static final Path SCREENS = Path.of("target/screens");

        static ChromeDriver chromium() {
            if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
                String missing = "Chromium is needed for the console's browser tests: apt-get install chromium"
                        + " chromium-driver (looked for " + CHROMIUM + " and " + DRIVER + ")";
                if (System.getenv("STEPWISE_BROWSER_REQUIRED") != null) {
                    throw new IllegalStateException(missing);
                }
                System.err.println("SKIPPED: " + missing);
                org.junit.jupiter.api.Assumptions.abort(missing);
            }
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                            "--window-size=1280,900");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
            return new ChromeDriver(service, options);
        }

        static void screenshot(ChromeDriver browser, String name) throws IOException {
            Files.createDirectories(SCREENS);
            Files.move(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }

        private Browsers() {
        }
    }
}
