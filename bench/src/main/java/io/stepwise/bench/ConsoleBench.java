package io.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console's rollout page over a rollout of {@code bench.consoleClusters} clusters (10,000 by default), in
 * Debian's headless Chromium: how long its first view takes, and how its updates go while the rollout runs (how
 * often the live part was fetched again, how long each fetch took, and the longest the page's main thread was
 * busy). Writes {@code bench/results/console.json}.
 */
public final class ConsoleBench {

    private static final Duration WATCHED = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        int clusters = Integer.getInteger("bench.consoleClusters", 10_000);
        Bench.startServers();
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("clusters", clusters);
        results.put("cores", Runtime.getRuntime().availableProcessors());
        try (Stack stack = new Stack("console", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(200))
                .withNodeRestartDuration(Duration.ofMillis(20))
                .withSyncDuration(Duration.ofMillis(20))
                .withTickInterval(Duration.ofMillis(20)), null).start()) {
            Bench.progress("creating and registering %d simulated clusters", clusters);
            List<ClusterInfo> fleet = new ArrayList<>();
            for (int i = 0; i < clusters; i++) {
                fleet.add(stack.simulator.createCluster(ClusterSpec.weaviate("page-" + i, "1.30.5", 3, "kubernetes")));
            }
            stack.register(fleet, Map.of("fleet", "console-bench"));
            long startedAt = System.nanoTime();
            String rollout = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30",
                    "selector", "fleet=console-bench", "probe", false, "strategy", Map.of("maxParallel", 20)));
            results.put("rolloutStartMillis", (System.nanoTime() - startedAt) / 1_000_000);
            while (!"RUNNING".equals(stack.summary(rollout).get("state").asText())) {
                Thread.sleep(500);
            }

            ChromeDriver browser = chromium();
            try {
                String page = stack.planner().url() + "/console/rollouts/" + rollout;
                signIn(browser, page);
                // the first view measured on a second visit, signed in, as someone opening a link would
                long before = System.nanoTime();
                browser.get(page);
                long firstView = (System.nanoTime() - before) / 1_000_000;
                Map<?, ?> navigation = (Map<?, ?>) browser.executeScript("const n = performance"
                        + ".getEntriesByType('navigation')[0]; return {responseEnd: n.responseEnd,"
                        + " domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd,"
                        + " bytes: n.transferSize, rows: document.querySelectorAll('#rollout-clusters tbody tr').length};");
                results.put("firstViewMillis", firstView);
                results.put("firstView", navigation);
                Bench.progress("first view of the rollout page: %d ms %s", firstView, navigation);

                browser.executeScript("window.benchSwaps = []; window.benchLongTasks = [];"
                        + " document.body.addEventListener('htmx:afterSwap', e => { if (e.detail.target.id === 'live')"
                        + " window.benchSwaps.push(performance.now()); });"
                        + " new PerformanceObserver(l => l.getEntries().forEach(t => window.benchLongTasks.push(t.duration)))"
                        + ".observe({type: 'longtask', buffered: false});");
                String percentBefore = browser.findElement(By.id("summary")).getAttribute("data-percent");
                long watchUntil = System.nanoTime() + WATCHED.toNanos();
                while (System.nanoTime() < watchUntil) {
                    Thread.sleep(1000); // the bench watches a page for a fixed time; tests never sleep
                }
                Map<?, ?> updates = (Map<?, ?>) browser.executeScript("const live = performance"
                        + ".getEntriesByType('resource').filter(r => r.name.includes('/live?')).map(r => r.duration);"
                        + " live.sort((a, b) => a - b);"
                        + " return {swaps: window.benchSwaps.length, fetches: live.length,"
                        + " fetchMedianMillis: live.length ? live[Math.floor(live.length / 2)] : null,"
                        + " fetchMaxMillis: live.length ? live[live.length - 1] : null,"
                        + " longTasks: window.benchLongTasks.length,"
                        + " longestTaskMillis: window.benchLongTasks.length ? Math.max(...window.benchLongTasks) : 0};");
                String percentAfter = browser.findElement(By.id("summary")).getAttribute("data-percent");
                Files.copy(browser.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(),
                        Bench.home().resolve("bench/results/console-rollout.png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                JsonNode summary = stack.summary(rollout);
                results.put("watchedSeconds", WATCHED.toSeconds());
                results.put("updates", updates);
                results.put("percentShownBefore", percentBefore);
                results.put("percentShownAfter", percentAfter);
                results.put("countsAtEnd", summary.get("counts"));
                Bench.progress("while watching %d s: %s; shown %s%% → %s%%; counts %s", WATCHED.toSeconds(),
                        updates, percentBefore, percentAfter, summary.get("counts"));
            } finally {
                browser.quit();
                stack.post("/api/v1/rollouts/" + rollout + "/cancel", Map.of());
            }
        }
        Path out = Files.createDirectories(Bench.home().resolve("bench/results")).resolve("console.json");
        Stack.JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
        Bench.progress("written to %s", out);
        System.exit(0);
    }

    private static void signIn(ChromeDriver browser, String page) {
        browser.get(page);
        browser.findElement(By.id("sign-in-viewer")).click();
        if (browser.findElements(By.id("who")).isEmpty()) {
            throw new IllegalStateException("not signed in; the page shows: " + browser.getPageSource());
        }
    }

    private static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        return new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build(), options);
    }

    private ConsoleBench() {
    }
}
