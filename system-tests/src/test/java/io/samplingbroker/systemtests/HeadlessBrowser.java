package io.samplingbroker.systemtests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver by Selenium, with the flags this machine's closed
 * network needs. Without the packages a browser test is skipped, unless {@code SAMPLING_BROWSER_TESTS=required} (set
 * by {@code .ci/run}, which installs them) makes their absence a failure.
 */
final class HeadlessBrowser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;

    private HeadlessBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Skips the test without a browser, or fails it when the browser is required. */
    static void require() {
        Assumptions.assumeTrue(present(), "Browser test skipped: install Debian's chromium and chromium-driver to run"
                + " it");
    }

    /** Whether a browser part of a test can run; false skips only that part (the failure when it is required). */
    static boolean present() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "required".equals(System.getenv("SAMPLING_BROWSER_TESTS"))) {
            throw new AssertionError("SAMPLING_BROWSER_TESTS=required but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: apt-get install chromium chromium-driver");
        }
        return present;
    }

    static HeadlessBrowser start(Path dir) throws IOException {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        return new HeadlessBrowser(new ChromeDriver(service, options));
    }

    /** An element by its {@code data-testid}. */
    static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            System.err.println("Browser screenshot at failure: " + file.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            System.err.println("No screenshot: " + e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
