package org.roost.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Roundcube under PHP's built-in web server on a loopback port, configured against a Roost
 * over IMAPS, and Debian's Chromium driving it headless through Debian's chromedriver (Selenium).
 * Everything lives in a directory of the test's: the config Roundcube reads through
 * {@code ROUNDCUBE_CONFIG_DIR}, its SQLite database, its logs ({@code imap.log} holds the IMAP
 * conversation) and temporary files. The page actions are the ones a user takes (log in, the list
 * options dialog, the search box, the toolbar); what the page shows is read from the message list.
 *
 * <p>Needs {@code roundcube-core roundcube-sqlite3 php-cli chromium chromium-driver} (.ci/run installs
 * them): missing ones fail under CI and skip elsewhere ({@link RequiredTool}); a Chromium that cannot
 * start skips the test with the reason.
 */
public final class Roundcube implements AutoCloseable {
    private static final Path PUBLIC_HTML = Path.of("/var/lib/roundcube/public_html");
    private static final Path DEBIAN_CONFIG = Path.of("/etc/roundcube");
    private static final Path SCHEMA = Path.of("/usr/share/roundcube/SQL/sqlite.initial.sql");
    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * The list's rows top to bottom, as UIDs: a removed row stays in the page, hidden, but leaves the
     * list's own table of rows; a collapsed thread's members are hidden but listed.
     */
    private static final String LISTED = """
            const listed = () => [...document.querySelectorAll('#messagelist tbody tr')]
                .map(row => rcmail.html_identifier_decode(row.id.replace(/^rcmrow/, '')))
                .filter(uid => uid in rcmail.message_list.rows);
            """;

    private final Path dir;
    private final Process php;
    private final String url;
    private final WebDriver browser;

    private Roundcube(Path dir, Process php, String url, WebDriver browser) {
        this.dir = dir;
        this.php = php;
        this.url = url;
        this.browser = browser;
    }

    /** Starts Roundcube in {@code dir} against the IMAPS listener on 127.0.0.1:{@code imapsPort}, and a browser. */
    public static Roundcube start(Path dir, int imapsPort) throws IOException, InterruptedException {
        return start(dir, imapsPort, "");
    }

    /**
     * {@link #start(Path, int)} with Roundcube's {@code managesieve} plugin (Debian's {@code roundcube-plugins}): the
     * Settings > Filters pages, which edit the user's Sieve scripts over ManageSieve on 127.0.0.1:{@code port} (its
     * conversation in the log {@code sieve.log}).
     */
    public static Roundcube withManageSieve(Path dir, int imapsPort, int port) throws IOException, InterruptedException {
        RequiredTool.requireFile("roundcube-plugins", PUBLIC_HTML.resolve("plugins/managesieve"));
        return start(dir, imapsPort, """
                $config['plugins'] = ['managesieve'];
                $config['managesieve_host'] = '127.0.0.1:%d';
                $config['managesieve_debug'] = true;
                """.formatted(port));
    }

    /**
     * {@link #start(Path, int)} with Roundcube's {@code acl} plugin (Debian's {@code roundcube-plugins}): the Sharing
     * part of Settings > Folders > a folder, which reads and changes the folder's ACL (RFC 4314) over IMAP.
     */
    public static Roundcube withAcl(Path dir, int imapsPort) throws IOException, InterruptedException {
        RequiredTool.requireFile("roundcube-plugins", PUBLIC_HTML.resolve("plugins/acl"));
        return start(dir, imapsPort, """
                $config['plugins'] = ['acl'];
                """);
    }

    private static Roundcube start(Path dir, int imapsPort, String extraConfig) throws IOException, InterruptedException {
        RequiredTool.require("roundcube-core roundcube-sqlite3 php-cli chromium chromium-driver",
                "php", "chromium", "chromedriver");
        RequiredTool.requireFile("roundcube-core", PUBLIC_HTML);
        if (!phpHasSqlite()) {
            RequiredTool.missing("PHP's SQLite driver", "roundcube-sqlite3");
        }
        var config = Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("temp"));
        for (var shipped : List.of("defaults.inc.php", "mimetypes.php")) {
            Files.createSymbolicLink(config.resolve(shipped), DEBIAN_CONFIG.resolve(shipped));
        }
        var database = dir.resolve("roundcube.db").toAbsolutePath();
        Files.writeString(config.resolve("config.inc.php"), configuration(dir.toAbsolutePath(), database, imapsPort)
                + extraConfig, StandardCharsets.UTF_8);
        createDatabase(dir, database);
        int port = freePort();
        var server = new ProcessBuilder("php", "-S", "127.0.0.1:" + port, "-t", PUBLIC_HTML.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/php-server.log").toFile());
        server.environment().put("ROUNDCUBE_CONFIG_DIR", config.toAbsolutePath().toString());
        // Roundcube's page fires several requests at once; one worker would serve them in turn.
        server.environment().put("PHP_CLI_SERVER_WORKERS", "4");
        var php = server.start();
        var url = "http://127.0.0.1:" + port + "/";
        try {
            awaitHttp(url, php);
            return new Roundcube(dir, php, url, browser(dir));
        } catch (IOException | RuntimeException | InterruptedException e) {
            php.destroyForcibly();
            throw e;
        }
    }

    private static String configuration(Path dir, Path database, int imapsPort) {
        return """
                <?php
                $config = [];
                $config['db_dsnw'] = 'sqlite:///%s?mode=0600';
                $config['imap_host'] = 'ssl://127.0.0.1:%d';
                // the test server's certificate is self-signed
                $config['imap_conn_options'] = ['ssl' => ['verify_peer' => false, 'verify_peer_name' => false,
                    'allow_self_signed' => true]];
                $config['imap_debug'] = true;
                $config['imap_cache'] = null;
                $config['messages_cache'] = false;
                $config['smtp_host'] = '';
                $config['des_key'] = 'roost-roundcube-test-key';
                $config['plugins'] = [];
                $config['skin'] = 'elastic';
                $config['language'] = 'en_US';
                $config['log_driver'] = 'file';
                $config['log_dir'] = '%s/logs/';
                $config['temp_dir'] = '%s/temp/';
                $config['enable_spellcheck'] = false;
                $config['create_default_folders'] = true;
                $config['mail_pagesize'] = 200; // the largest page Roundcube allows
                $config['max_pagesize'] = 200;
                $config['message_sort_col'] = 'date';
                $config['message_sort_order'] = 'DESC';
                $config['autoexpand_threads'] = 0;
                $config['refresh_interval'] = 0;
                $config['support_url'] = '';
                """.formatted(database, imapsPort, dir, dir);
    }

    private static boolean phpHasSqlite() throws IOException, InterruptedException {
        var php = new ProcessBuilder("php", "-r", "exit(extension_loaded('pdo_sqlite') ? 0 : 1);")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return php.waitFor(60, TimeUnit.SECONDS) && php.exitValue() == 0;
    }

    private static void createDatabase(Path dir, Path database) throws IOException, InterruptedException {
        var init = new ProcessBuilder("php", "-r",
                "$db = new PDO('sqlite:' . $argv[1]); $db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);"
                        + " $db->exec(file_get_contents($argv[2]));",
                "--", database.toString(), SCHEMA.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/initdb.log").toFile()).start();
        if (!init.waitFor(60, TimeUnit.SECONDS) || init.exitValue() != 0) {
            throw new IOException("creating Roundcube's database failed: "
                    + Files.readString(dir.resolve("logs/initdb.log")));
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitHttp(String url, Process php) throws IOException, InterruptedException {
        var http = HttpClient.newHttpClient();
        var deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                throw new IOException("Roundcube answered " + response.statusCode() + ": " + response.body());
            } catch (IOException e) {
                if (!php.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("PHP's web server did not come up at " + url, e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static WebDriver browser(Path dir) {
        var options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // as root Chromium refuses its sandbox; nothing outside loopback is reached
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US");
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .withLogFile(dir.resolve("logs/chromedriver.log").toFile())
                .usingAnyFreePort().build();
        try {
            return new ChromeDriver(service, options);
        } catch (WebDriverException e) {
            service.stop();
            Assumptions.abort("Chromium cannot start here, so the Roundcube test is skipped: " + e.getMessage());
            throw e;
        }
    }

    public WebDriver browser() {
        return browser;
    }

    /** Roundcube's own logs: {@code errors.log}, {@code imap.log} (the IMAP conversation), {@code php-server.log}. */
    public Path log(String name) {
        return dir.resolve("logs").resolve(name);
    }

    /** Logs in through the login form and waits for the message list. */
    public void login(String user, String password) {
        browser.get(url);
        type(By.id("rcmloginuser"), user);
        type(By.id("rcmloginpwd"), password);
        browser.findElement(By.id("rcmloginsubmit")).click();
        awaitListLoaded();
    }

    private void type(By field, String text) {
        var element = await(driver -> driver.findElement(field));
        element.clear();
        element.sendKeys(text);
    }

    /**
     * Sets the list's sort column ({@code date}, {@code subject}, ...), order ({@code ASC}, {@code DESC})
     * and mode ({@code list}, {@code threads}) in the list options dialog, and waits for the new list.
     */
    public void listOptions(String column, String order, String mode) {
        click("#layout-list a.options");
        var dialog = await(driver -> driver.findElement(By.cssSelector(".ui-dialog")));
        new Select(dialog.findElement(By.name("sort_col"))).selectByValue(column);
        new Select(dialog.findElement(By.name("sort_ord"))).selectByValue(order);
        new Select(dialog.findElement(By.name("mode"))).selectByValue(mode);
        dialog.findElement(By.cssSelector(".ui-dialog-buttonpane button.mainaction")).click();
        await(driver -> mode.equals("threads") == Boolean.TRUE.equals(script("return !!rcmail.env.threading")));
        awaitListLoaded();
    }

    /** The UIDs the message list shows, top to bottom (hidden thread members included). */
    @SuppressWarnings("unchecked")
    public List<Long> listedUids() {
        return ((List<Object>) script(LISTED + """
                return listed().map(Number);"""))
                .stream().map(uid -> ((Number) uid).longValue()).toList();
    }

    /** For each listed row, top to bottom: its UID and depth in its thread (0 for a thread's root). */
    @SuppressWarnings("unchecked")
    public List<List<Long>> listedThreadRows() {
        return ((List<List<Number>>) script(LISTED + """
                return listed().map(uid => [Number(uid), rcmail.message_list.rows[uid].depth]);"""))
                .stream().map(row -> row.stream().map(Number::longValue).toList()).toList();
    }

    /** The list's row of message {@code uid}. */
    public WebElement row(long uid) {
        return browser.findElement(By.id("rcmrow" + script("return rcmail.html_identifier_encode(arguments[0])",
                String.valueOf(uid))));
    }

    /**
     * Clicks the first shown element {@code css} selects once Roundcube has enabled it (toolbar and menu
     * links carry the class "disabled" until their command applies), and waits for the requests it starts.
     */
    public void click(String css) {
        awaitIdle();
        await(driver -> driver.findElements(By.cssSelector(css)).stream()
                .filter(element -> element.isDisplayed()
                        && !String.valueOf(element.getDomAttribute("class")).contains("disabled"))
                .findFirst().orElse(null)).click();
        awaitIdle();
    }

    /** Types {@code text} into the quick-search box and presses Enter, then waits for the result list. */
    public void search(String text) {
        awaitIdle();
        var box = browser.findElement(By.id("mailsearchform"));
        box.clear();
        box.sendKeys(text + "\n");
        await(driver -> Boolean.TRUE.equals(script("return !!rcmail.env.search_request")));
        awaitListLoaded();
    }

    /** Clicks Logout and waits for the login form. */
    public void logout() {
        click("a.logout");
        await(driver -> driver.findElement(By.id("rcmloginuser")));
    }

    /** Waits until the message list is on the page and no request of Roundcube's is running. */
    public void awaitListLoaded() {
        await(driver -> Boolean.TRUE.equals(script(
                "return !!(window.rcmail && rcmail.message_list && rcmail.busy === false)")));
        awaitIdle();
    }

    /** Waits until no request of Roundcube's is running. */
    public void awaitIdle() {
        await(driver -> Boolean.TRUE.equals(script(
                "return !!window.rcmail && !rcmail.busy && Object.keys(rcmail.request_timers || {}).length === 0"
                        + " && (!window.jQuery || jQuery.active === 0)")));
    }

    /** Waits until {@code condition} holds (up to a minute, to catch hangs on a busy machine). */
    public <T> T await(ExpectedCondition<T> condition) {
        return new WebDriverWait(browser, WAIT).ignoring(WebDriverException.class).until(condition);
    }

    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    /** Saves what the browser shows as a PNG at {@code file}. */
    public void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        try {
            browser.quit();
        } finally {
            php.descendants().forEach(ProcessHandle::destroy);
            php.destroy();
        }
    }
}
