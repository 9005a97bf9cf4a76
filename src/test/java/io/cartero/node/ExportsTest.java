package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.Publish;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exports over real HTTP: a room's transcript and the view's statistics, as JSON and as
 * CSV that a spreadsheet reads back as written; bad requests get a clear status and text.
 */
class ExportsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemoryBroker broker;
    private Node node;

    @BeforeEach
    void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
    }

    @AfterEach
    void stopNode() {
        node.close();
        broker.close();
    }

    @Test
    void exportsARoomsTranscriptAsCsvWithTrickyTextKeptAndNoFormulas() throws Exception {
        publish("plaza", "ana", "hola, \"todos\"");
        publish("plaza", "bea", "dos\nlíneas");
        publish("plaza", "ana", "=SUM(A1:A9)");

        HttpResponse<String> csv = get("/export/rooms/plaza.csv");

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"cartero-plaza.csv\"");
        assertThat(csv.headers().firstValue("Content-Security-Policy")).isPresent();
        String body = csv.body();
        assertThat(body).startsWith("room,epoch,offset,sent_at,sender,kind,text\r\n");
        assertThat(body).contains(",ana,chat,\"hola, \"\"todos\"\"\"\r\n")
                .contains(",bea,chat,\"dos\nlíneas\"\r\n")
                .contains(",ana,chat,'=SUM(A1:A9)\r\n");
        assertThat(body.split("\r\n")).hasSize(4);
    }

    @Test
    void exportsTheNewestMessagesAcrossHistoryPagesAsJson() throws Exception {
        for (int i = 1; i <= 620; i++) {
            publish("grande", "ana", "m" + i);
        }

        JsonNode all = JSON.readTree(get("/export/rooms/grande.json").body());
        JsonNode last = JSON.readTree(get("/export/rooms/grande.json?limit=550").body());

        assertThat(all.get("messages")).hasSize(620);
        assertThat(last.get("room").asText()).isEqualTo("grande");
        assertThat(last.get("messages")).hasSize(550);
        assertThat(last.get("messages").get(0).get("text").asText()).isEqualTo("m71");
        assertThat(last.get("messages").get(549).get("text").asText()).isEqualTo("m620");
        long[] offsets = new long[550];
        for (int i = 0; i < 550; i++) {
            offsets[i] = last.get("messages").get(i).get("offset").asLong();
        }
        assertThat(offsets).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void refusesBadRoomsDirectConversationsAndBadLimitsClearly() throws Exception {
        assertThat(get("/export/rooms/Not%20A%20Room.csv").statusCode()).isEqualTo(400);
        assertThat(get("/export/rooms/dm.0123456789.json").statusCode()).isEqualTo(403);
        HttpResponse<String> badLimit = get("/export/rooms/plaza.csv?limit=0");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("limit must be a number from 1 to 10000");
        assertThat(get("/export/rooms/plaza.xml").statusCode()).isEqualTo(404);
        assertThat(get("/export/other.csv").statusCode()).isEqualTo(404);
        assertThat(get("/export/rooms/vacia.csv").body())
                .isEqualTo("room,epoch,offset,sent_at,sender,kind,text\r\n");
    }

    @Test
    void exportsTheViewsStatisticsAsJsonAndCsv() throws Exception {
        TestClient pablo = TestClient.hello(node.port(), "pablo");
        TestClient ana = TestClient.hello(node.port(), "ana");
        try {
            ana.call(new Frame.Join(2L, "plaza", null, null), Frame.Joined.class);
            pablo.call(new Frame.Send(2L, "plaza", "hola", null), Frame.Ack.class);
            pablo.call(new Frame.Push(3L, "tareas", "una"), Frame.Pushed.class);

            JsonNode json = JSON.readTree(get("/export/view.json").body());
            List<String> csv = Arrays.asList(get("/export/view.csv").body().split("\r\n"));

            assertThat(json.get("type").asText()).isEqualTo("view");
            assertThat(json.get("connections")).hasSize(2);
            assertThat(csv.get(0))
                    .isEqualTo("kind,name,from,to,total,rate,last_offset,people,depth,consumers");
            assertThat(csv).anyMatch(line -> line.startsWith("edge,,conn:")
                    && line.contains(",room:plaza,1,"));
            assertThat(csv).contains("queue,tareas,,,,,,,1,0");
            assertThat(csv).anyMatch(line -> line.startsWith("room,plaza,,,,,2,1,,1"));
        } finally {
            pablo.close();
            ana.close();
        }
    }

    @Test
    void quotesAndDefusesFieldsAsASpreadsheetNeeds() {
        assertThat(Exports.field("simple")).isEqualTo("simple");
        assertThat(Exports.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Exports.field("+1")).isEqualTo("'+1");
        assertThat(Exports.field(-1L)).isEqualTo("-1");
        assertThat(Exports.field("@x\r\ny")).isEqualTo("\"'@x\r\ny\"");
    }

    @Test
    void aNodeThatAsksForATokenExportsOnlyWithIt() throws Exception {
        MemoryBroker guarded = new MemoryBroker();
        try (Node locked = Node.start(guarded, guarded, NodeSettings.defaults()
                .withHost("127.0.0.1").withPort(0)
                .withGuards(Guards.defaults().withSecret("clave-de-clase")))) {
            guarded.rooms().publish(Publish.chat("plaza", "ana", "secreto de la clase"))
                    .get(5, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + locked.port();

            HttpResponse<String> without = fetch(base + "/export/rooms/plaza.csv");
            HttpResponse<String> wrong = fetch(base + "/export/rooms/plaza.csv?token=otra");
            HttpResponse<String> stats = fetch(base + "/export/view.json");
            HttpResponse<String> right =
                    fetch(base + "/export/rooms/plaza.csv?token=clave-de-clase");

            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(without.body()).contains("password or token").doesNotContain("secreto");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(stats.statusCode()).isEqualTo(401);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(right.body()).contains("secreto de la clase");
        } finally {
            guarded.close();
        }
    }

    private static HttpResponse<String> fetch(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void publish(String room, String sender, String text) throws Exception {
        broker.rooms().publish(Publish.chat(room, sender, text)).get(5, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return fetch("http://127.0.0.1:" + node.port() + path);
    }
}
