package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.samplingbroker.reviewconsole.PasswordHashing;
import io.samplingbroker.reviewconsole.ReviewConsoleConfig;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * The review console in a real headless Chromium (Debian's {@code chromium}, driven through Debian's
 * {@code chromedriver} by Selenium): a reviewer signs in, sees a held request appear without reloading, opens it,
 * edits the prompt and approves, and the server's tool result carries the completion of the edited prompt.
 *
 * <p>Without the browser packages the test is skipped, unless {@code SAMPLING_BROWSER_TESTS=required} (set by
 * {@code .ci/run}, which installs them) makes their absence a failure ({@link HeadlessBrowser}).
 */
@ExtendWith(KafkaStackExtension.class)
class ReviewConsoleBrowserIT {

    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final String POLICY = """
            defaultAction: approve
            rules:
              - id: review-everything-server
                when: {server: everything}
                action: hold
                reason: Everything server needs a human
            """;

    @Test
    void givenASignedInReviewer_whenAHeldRequestAppearsAndIsEditedAndApproved_thenTheServerGetsTheEditedCompletion(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        HeadlessBrowser.require();
        ReviewConsoleConfig console = ReviewConsoleConfig.of(Map.of("alice",
                PasswordHashing.hash("correct horse battery".toCharArray())));
        try (SamplingStack services = SamplingStack.start(stack, dir, POLICY, null, EndToEndIT.stdioEverything(), 1,
                Duration.ofSeconds(55), console);
                HeadlessBrowser browser = HeadlessBrowser.start(dir)) {
            WebDriverWait wait = new WebDriverWait(browser.driver, UI_TIMEOUT);
            try {
                // Given a signed-in reviewer
                browser.driver.get(services.reviewConsoleUrl());
                wait.until(ExpectedConditions.visibilityOfElementLocated(testId("login-reviewer"))).sendKeys("alice");
                browser.driver.findElement(testId("login-password")).sendKeys("correct horse battery");
                browser.driver.findElement(testId("login-submit")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(testId("signed-in-as"), "alice"));

                // When a server asks, the held request appears without a reload
                CompletableFuture<TestPeers.ClientResult> client = CompletableFuture.supplyAsync(() ->
                        TestPeers.runClient(List.of("http", services.broker().mcpUrl("everything"),
                                "Write a haiku about ACME Corp", "60"), Map.of("HOST_ID", "vscode-alice"),
                                Duration.ofSeconds(150)));
                WebElement item = wait.until(ExpectedConditions.elementToBeClickable(
                        By.cssSelector("[data-testid='queue-item'][data-state='pending']")));
                assertThat(item.getText()).contains("vscode-alice").contains("everything").contains("trigger-sampling-request");
                // and the reviewer opens it, edits the prompt and approves
                item.click();
                WebElement prompt = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("prompt-text")));
                assertThat(prompt.getText()).contains("Write a haiku about ACME Corp");
                browser.driver.findElement(testId("action-edit")).click();
                WebElement text = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("edit-message-text")));
                text.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
                text.sendKeys("Write a haiku about a customer");
                browser.driver.findElement(testId("decision-reason")).sendKeys("no customer names");
                browser.driver.findElement(testId("edit-submit")).click();

                // Then the console confirms, and the server's tool result carries the edited prompt's completion
                wait.until(ExpectedConditions.textToBePresentInElementLocated(testId("decision-result"), "alice"));
                TestPeers.ClientResult result = client.get(90, TimeUnit.SECONDS);
                assertThat(result.ok()).as(result.output()).isTrue();
                assertThat(result.output()).contains("offline-echo").contains("Write a haiku about a customer")
                        .doesNotContain("ACME");
                wait.until(ExpectedConditions.invisibilityOfElementLocated(
                        By.cssSelector("[data-testid='queue-item'][data-state='pending']")));
            } catch (Throwable failure) {
                browser.screenshot(Path.of("target", "review-console-failure.png"));
                throw failure;
            }
        }
    }

    private static By testId(String id) {
        return HeadlessBrowser.testId(id);
    }
}
