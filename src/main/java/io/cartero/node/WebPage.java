package io.cartero.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.staticfiles.Location;
import io.javalin.http.staticfiles.StaticFileConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.TreeMap;

/**
 * The web page: the files of the classpath folder {@code cartero/web/} at {@code /}, the broker
 * view's page at {@code /broker}, and the
 * texts of the bundle {@code i18n/messages} as JSON at {@code /i18n/en.json} and
 * {@code /i18n/es.json}. Every HTTP response carries the page's security headers (a
 * Content-Security-Policy that allows only the page's own scripts, styles and connections).
 * Files are served by Javalin's static file handler, which answers a path outside the folder,
 * a folder or a missing file with 404 and gives each file an ETag. Immutable.
 */
final class WebPage {
    /** The classpath folder the page is served from. */
    static final String FOLDER = "/cartero/web";
    /** The languages whose texts are served. */
    static final Map<String, Locale> LANGUAGES = Map.of("en", Locale.ENGLISH,
            "es", Locale.forLanguageTag("es"));
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
            + "style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
            + "manifest-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    /** The headers of every response. */
    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-cache");
    private static final String BUNDLE = "i18n.messages";
    private static final String JSON = "application/json; charset=utf-8";

    /** The broker view's page, served at {@code /broker}. */
    static final String BROKER_PAGE = FOLDER + "/broker.html";

    /** Each language's texts as JSON, with its ETag. */
    private final Map<String, Texts> texts = new TreeMap<>();
    private final String brokerPage;

    WebPage() {
        LANGUAGES.forEach((language, locale) -> texts.put(language, Texts.of(locale)));
        brokerPage = resource(BROKER_PAGE);
    }

    /** Adds the headers, the files and the texts to a node's configuration. */
    void configure(JavalinConfig config) {
        config.routes.before(WebPage::addHeaders);
        config.staticFiles.add(this::files);
        config.routes.get("/i18n/{file}", this::texts);
        config.routes.get("/broker", this::brokerPage);
    }

    private void brokerPage(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").result(brokerPage);
    }

    private static String resource(String path) {
        try (InputStream in = WebPage.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void files(StaticFileConfig files) {
        files.hostedPath = "/";
        files.directory = FOLDER;
        files.location = Location.CLASSPATH;
        files.headers = HEADERS;
        files.mimeTypes.add("text/javascript; charset=utf-8", "js", "mjs");
        files.mimeTypes.add("text/html; charset=utf-8", "html");
        files.mimeTypes.add("text/css; charset=utf-8", "css");
        files.mimeTypes.add("text/plain; charset=utf-8", "txt");
        files.mimeTypes.add("application/manifest+json", "webmanifest");
    }

    private static void addHeaders(Context ctx) {
        HEADERS.forEach(ctx::header);
    }

    private void texts(Context ctx) {
        String file = ctx.pathParam("file");
        Texts language = file.endsWith(".json")
                ? texts.get(file.substring(0, file.length() - ".json".length())) : null;
        if (language == null) {
            ctx.status(404).result("no texts in that language; there are "
                    + String.join(", ", texts.keySet()));
            return;
        }
        ctx.header(Header.ETAG, language.etag());
        if (language.etag().equals(ctx.header(Header.IF_NONE_MATCH))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(JSON).result(language.json());
    }

    /** One language's texts, as the JSON object served, and its strong ETag. */
    private record Texts(String json, String etag) {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        static Texts of(Locale locale) {
            ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, locale,
                    ResourceBundle.Control.getNoFallbackControl(
                            ResourceBundle.Control.FORMAT_PROPERTIES));
            Map<String, String> all = new TreeMap<>();
            for (String key : bundle.keySet()) {
                all.put(key, bundle.getString(key));
            }
            String json = json(all);
            return new Texts(json, "\"" + sha256(json) + "\"");
        }

        private static String json(Map<String, String> texts) {
            try {
                return MAPPER.writeValueAsString(texts);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String sha256(String text) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(hash, 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
    }
}
