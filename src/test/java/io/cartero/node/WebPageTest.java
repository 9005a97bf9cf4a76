package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.memory.MemoryBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The page and its texts, fetched over real HTTP from a real node. The files under
 * {@code fixture/} are test resources in the same classpath folder as the page.
 */
class WebPageTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MemoryBroker broker;
    private static Node node;

    @BeforeAll
    static void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
    }

    @AfterAll
    static void stopNode() {
        node.close();
        broker.close();
    }

    @Test
    void servesThePageAtTheRootWithItsHeaders() throws Exception {
        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").map(WebPageTest::compact))
                .hasValue("text/html;charset=utf-8");
        assertThat(page.body()).contains("<title>Cartero</title>");
        assertPageHeaders(page);
        assertThat(page.headers().firstValue("ETag")).isPresent();
        assertThat(get("/index.html").body()).isEqualTo(page.body());
    }

    @Test
    void servesTheBrokerViewAtBrokerWithTheSameHeaders() throws Exception {
        HttpResponse<String> view = get("/broker");

        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.headers().firstValue("Content-Type").map(WebPageTest::compact))
                .hasValue("text/html;charset=utf-8");
        assertThat(view.body()).contains("js/view/main.js").doesNotContain("<script>");
        assertPageHeaders(view);
        assertThat(get("/js/view/diagram.js").statusCode()).isEqualTo(200);
        assertThat(get("/").body()).contains("href=\"broker\"");
    }

    @Test
    void answersAReloadWithNotModified() throws Exception {
        HttpResponse<String> first = get("/fixture/module.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = HTTP.send(request("/fixture/module.js")
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertPageHeaders(again);
    }

    @Test
    void givesEachKindOfFileItsContentType() throws Exception {
        assertThat(contentType("/fixture/module.js")).isEqualTo("text/javascript;charset=utf-8");
        assertThat(contentType("/fixture/style.css")).isEqualTo("text/css;charset=utf-8");
        assertThat(contentType("/fixture/icon.svg")).startsWith("image/svg+xml");
        assertThat(contentType("/fixture/nested/note.txt"))
                .isEqualTo("text/plain;charset=utf-8");
        assertThat(get("/fixture/module.js").body()).isEqualTo("export const answer = 42;\n");
    }

    @Test
    void answersAMissingFileOrAFolderWith404AndTheHeaders() throws Exception {
        HttpResponse<String> missing = get("/no-such-file.js");
        HttpResponse<String> folder = get("/fixture/");
        HttpResponse<String> folderWithoutSlash = get("/fixture/nested");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertPageHeaders(missing);
        assertThat(folder.statusCode()).isEqualTo(404);
        assertThat(folder.body()).doesNotContain("module.js", "style.css");
        assertThat(folderWithoutSlash.statusCode()).isEqualTo(404);
        assertThat(folderWithoutSlash.body()).doesNotContain("note.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../redis/publish.lua", "/..%2fredis%2fpublish.lua",
        "/%2e%2e/redis/publish.lua", "/%2e%2e%2fredis%2fpublish.lua",
        "/fixture/../../redis/publish.lua", "/fixture/%2e%2e/%2e%2e/redis/publish.lua",
        "/..%5credis%5cpublish.lua", "/%252e%252e/redis/publish.lua",
        "/../../i18n/messages.properties", "/..%2f..%2fi18n%2fmessages.properties",
        "/../../logback.xml", "/fixture/..%2f..%2f..%2flogback-test.xml"})
    void neverServesAFileOutsideTheFolder(String path) throws IOException {
        RawResponse response = rawGet(path);

        assertThat(response.status()).as(path).isIn(400, 404);
        assertThat(response.body()).as(path)
                .doesNotContain("redis.call", "server.running", "<configuration");
    }

    @Test
    void servesTheTextsOfEachLanguageAsOneFlatObject() throws Exception {
        HttpResponse<String> english = get("/i18n/en.json");
        HttpResponse<String> spanish = get("/i18n/es.json");

        assertThat(english.statusCode()).isEqualTo(200);
        assertThat(english.headers().firstValue("Content-Type").map(WebPageTest::compact))
                .hasValue("application/json;charset=utf-8");
        assertPageHeaders(english);
        Map<String, String> en = texts(english);
        Map<String, String> es = texts(spanish);
        assertThat(en).isEqualTo(bundle("i18n/messages.properties"));
        assertThat(es).isEqualTo(bundle("i18n/messages_es.properties"));
        assertThat(en.get("notice.history_lost")).contains("{0}");
        assertThat(es.get("error.forbidden")).isEqualTo("Esa conversación no es tuya.");
    }

    @Test
    void answersARepeatedTextsRequestWithNotModified() throws Exception {
        String etag = get("/i18n/es.json").headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = HTTP.send(request("/i18n/es.json")
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(get("/i18n/en.json").headers().firstValue("ETag")).isNotEqualTo(etag);
    }

    @Test
    void answersAnUnknownLanguageWith404() throws Exception {
        for (String path : new String[] {"/i18n/fr.json", "/i18n/en", "/i18n/EN.json",
            "/i18n/en.json.bak", "/i18n/"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("server.running");
        }
    }

    @Test
    void leavesTheProtocolAndHealthWhereTheyWere() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        try (TestClient client = TestClient.hello(node.port(), null)) {
            assertThat(client.isClosed()).isFalse();
        }
    }

    private static void assertPageHeaders(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                        + " connect-src 'self'; font-src 'self'; manifest-src 'self';"
                        + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }

    private static String contentType(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertPageHeaders(response);
        return compact(response.headers().firstValue("Content-Type").orElseThrow());
    }

    /** A content type without spaces: Jetty writes some with one after the ";". */
    private static String compact(String contentType) {
        return contentType.replace(" ", "");
    }

    private static Map<String, String> texts(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<Map<String, String>>() { });
    }

    /** Every key of one bundle file, with its parent's keys for a language file. */
    private static Map<String, String> bundle(String file) throws IOException {
        Properties texts = new Properties();
        if (!file.equals("i18n/messages.properties")) {
            texts.putAll(bundle("i18n/messages.properties"));
        }
        try (InputStream in = WebPageTest.class.getClassLoader().getResourceAsStream(file)) {
            texts.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        Map<String, String> all = new java.util.TreeMap<>();
        texts.stringPropertyNames().forEach(key -> all.put(key, texts.getProperty(key)));
        return all;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path));
    }

    /** Sends {@code path} exactly as written, which an HTTP client might normalize. */
    private static RawResponse rawGet(String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String text = new String(socket.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new RawResponse(status, text);
        }
    }

    private record RawResponse(int status, String body) {
    }
}
