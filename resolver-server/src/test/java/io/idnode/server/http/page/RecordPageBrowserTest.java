package io.idnode.server.http.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import io.idnode.server.TestNode;
import io.idnode.store.RecordStore.RecordWrite;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The record page in a real headless browser (Debian's chromium and chromium-driver, driven by Selenium): the
 * title and the values, a hostile value shown as text that runs nothing, the redirect, the lookup box, and the
 * QR code, photographed and decoded with ZXing, giving back the page's address. Skipped, saying so, only when
 * chromium is not installed ({@code .ci/run} installs it). With {@code -Didnode.screenshot=FILE} it also saves a
 * screenshot of a record page (the README's {@code docs/images/record-page.png}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RecordPageBrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String REDIRECTING = "88.100.1/REDIRECTING";

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true));
    private static Path profile;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver):"
                        + " the browser test of the record page is skipped");
        RecordPageTest.write(NODE);
        // A record whose URL stays on loopback, so that the browser follows the redirect without leaving it.
        NODE.node().store().write(List.of(RecordWrite.put(HandleRecord.of(REDIRECTING, List.of(
                HandleValue.builder(1, ValueTypes.URL).data(base() + "/?from=redirect").build())))));
        profile = Files.createTempDirectory("idnode-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--window-size=1000,1000", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + NODE.node().httpPort();
    }

    @Test
    void showsTheValuesAndAQrCodeOfThePage() throws Exception {
        browser.get(base() + "/" + RecordPageTest.DEMO + "?noredirect");
        assertThat(browser.getTitle()).isEqualTo(RecordPageTest.DEMO);
        assertThat(browser.findElement(By.id("identifier")).getDomProperty("value")).isEqualTo(RecordPageTest.DEMO);
        List<String> cells = browser.findElements(By.cssSelector("#values td.data")).stream()
                .map(WebElement::getText).toList();
        assertThat(cells).contains("https://example.com/products/PUMP-2026-000123",
                "Centrifugal pump CP-200, serial 000123");
        assertThat(String.join("\n", cells)).contains("administrator 300:0.NA/88.100.1", "\"status\" : \"in-service\"");

        byte[] png = browser.findElement(By.cssSelector("svg.qr")).getScreenshotAs(OutputType.BYTES);
        assertThat(decodeQr(png)).isEqualTo(base() + "/" + RecordPageTest.DEMO);

        String shot = System.getProperty("idnode.screenshot");
        if (shot != null && !shot.isBlank()) {
            Files.write(Path.of(shot), browser.getScreenshotAs(OutputType.BYTES));
        }
    }

    @Test
    void hostileValueShowsAsTextAndRunsNothing() {
        browser.get(base() + "/" + RecordPageTest.HOSTILE);
        assertThat(browser.getTitle()).isEqualTo(RecordPageTest.HOSTILE);
        WebElement table = browser.findElement(By.id("values"));
        assertThat(table.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.findElements(By.tagName("script"))).isEmpty();
        assertThat(table.findElements(By.cssSelector("td.data")).get(0).getText()).isEqualTo(RecordPageTest.SCRIPT);
        boolean alert;
        try {
            browser.switchTo().alert();
            alert = true;
        } catch (NoAlertPresentException none) {
            alert = false;
        }
        assertThat(alert).as("an alert would mean the hostile value ran").isFalse();
    }

    @Test
    void followsTheRedirectAndTheLookupBox() {
        browser.get(base() + "/" + REDIRECTING);
        assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/?from=redirect");
        WebElement box = browser.findElement(By.name("handle"));
        box.sendKeys(RecordPageTest.SIGNED);
        box.submit();
        assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/" + RecordPageTest.SIGNED + "?noredirect");
        assertThat(browser.getTitle()).isEqualTo(RecordPageTest.SIGNED);
    }

    private static String decodeQr(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        LuminanceSource source = new BufferedImageLuminanceSource(image);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
    }
}
