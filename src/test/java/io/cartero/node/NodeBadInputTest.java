package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input gets the documented error frame, answering its request id when it has one,
 * and neither that connection nor any other stops working.
 */
class NodeBadInputTest {
    private static MemoryBroker broker;
    private static Node node;

    private final List<TestClient> clients = new ArrayList<>();

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

    @AfterEach
    void closeClients() {
        clients.forEach(TestClient::close);
    }

    static Stream<Arguments> badRequests() {
        String longKey = "k".repeat(129);
        return Stream.of(
                bad("invalid room", "{'type':'send','id':41,'room':'Sala!','text':'hola'}",
                        "invalid_room"),
                bad("empty text", "{'type':'send','id':41,'room':'general','text':''}",
                        "empty_text"),
                bad("text with NUL",
                        "{'type':'send','id':41,'room':'general','text':'a\\u0000'}",
                        "invalid_text"),
                bad("unknown type", "{'type':'dance','id':41}", "unknown_type"),
                bad("node frame", "{'type':'welcome','id':41,'version':1}", "unknown_type"),
                bad("missing field", "{'type':'join','id':41}", "missing_field"),
                bad("wrong field type",
                        "{'type':'history','id':41,'room':'general','limit':'all'}",
                        "missing_field"),
                bad("second hello", "{'type':'hello','id':41,'name':'otra'}", "already_hello"),
                bad("last too big", "{'type':'join','id':41,'room':'general','last':10001}",
                        "invalid_argument"),
                bad("after and last", "{'type':'join','id':41,'room':'general','last':1,"
                        + "'after':{'epoch':'e','offset':1}}", "invalid_argument"),
                bad("limit too big", "{'type':'history','id':41,'room':'general','limit':501}",
                        "invalid_argument"),
                bad("limit zero", "{'type':'history','id':41,'room':'general','limit':0}",
                        "invalid_argument"),
                bad("wait too long", "{'type':'pop','id':41,'queue':'tareas','wait_ms':30001}",
                        "invalid_argument"),
                bad("negative wait", "{'type':'pop','id':41,'queue':'tareas','wait_ms':-1}",
                        "invalid_argument"),
                bad("long key", "{'type':'send','id':41,'room':'general','text':'a','key':'"
                        + longKey + "'}", "invalid_argument"),
                bad("invalid queue", "{'type':'push','id':41,'queue':'Cola','text':'a'}",
                        "invalid_room"),
                bad("not joined", "{'type':'leave','id':41,'room':'general'}", "not_joined"),
                bad("no type", "{'id':41,'room':'general'}", "missing_field"),
                bad("type not a string", "{'type':['join'],'id':41}", "missing_field"),
                bad("client frame of the node's", "{'type':'error','id':41,'code':'x'}",
                        "unknown_type"),
                bad("room a number", "{'type':'join','id':41,'room':7}", "missing_field"),
                bad("text an object",
                        "{'type':'send','id':41,'room':'general','text':{'t':'a'}}",
                        "missing_field"),
                bad("last a string", "{'type':'join','id':41,'room':'general','last':'5'}",
                        "missing_field"),
                bad("last a fraction", "{'type':'join','id':41,'room':'general','last':2.5}",
                        "missing_field"),
                bad("last past a long",
                        "{'type':'join','id':41,'room':'general','last':1e400}",
                        "missing_field"),
                bad("after not an object",
                        "{'type':'join','id':41,'room':'general','after':12}", "missing_field"),
                bad("after without epoch",
                        "{'type':'join','id':41,'room':'general','after':{'offset':1}}",
                        "missing_field"),
                bad("negative offset", "{'type':'join','id':41,'room':'general',"
                        + "'after':{'epoch':'e','offset':-1}}", "invalid_argument"),
                bad("before zero", "{'type':'history','id':41,'room':'general','before':0}",
                        "invalid_argument"),
                bad("lease too short",
                        "{'type':'take','id':41,'queue':'tareas','lease_ms':999}",
                        "invalid_argument"),
                bad("empty receipt", "{'type':'confirm','id':41,'queue':'tareas','receipt':''}",
                        "invalid_argument"),
                bad("empty key", "{'type':'send','id':41,'room':'general','text':'a','key':''}",
                        "invalid_argument"),
                bad("room and with",
                        "{'type':'send','id':41,'room':'general','with':'bob','text':'a'}",
                        "invalid_argument"),
                bad("neither room nor with", "{'type':'send','id':41,'text':'a'}",
                        "missing_field"),
                bad("with a bad name", "{'type':'join','id':41,'with':' bob'}", "invalid_name"),
                bad("text with a lone surrogate",
                        "{'type':'send','id':41,'room':'general','text':'a\\ud800'}",
                        "invalid_text"),
                bad("direct room named in room",
                        "{'type':'history','id':41,'room':'dm.0123abcd'}", "forbidden"));
    }

    /** Frames in which no request id can be found: the error has none. */
    static Stream<Arguments> badFramesWithoutId() {
        return Stream.of(
                bad("JSON array", "[{'type':'ping','id':41}]", "bad_frame"),
                bad("JSON string", "'ping'", "bad_frame"),
                bad("JSON null", "null", "bad_frame"),
                bad("empty frame", "", "bad_frame"),
                bad("cut short", "{'type':'ping','id':41", "bad_frame"),
                bad("nested 20,000 deep", "{'type':'ping','x':" + "[".repeat(20_000)
                        + "]".repeat(20_000) + ",'id':41}", "bad_frame"),
                bad("id a string", "{'type':'ping','id':'41'}", "missing_field"),
                bad("id a fraction", "{'type':'ping','id':4.5}", "missing_field"),
                bad("id past a long", "{'type':'ping','id':99999999999999999999}",
                        "missing_field"),
                bad("id an object", "{'type':'ping','id':{'n':41}}", "missing_field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFramesWithoutId")
    void refusesFramesWithoutAUsableIdWithTheDocumentedCodeAndKeepsServing(String what,
            String frame, String code) {
        TestClient client = hello(NodeProtocolTest.unique("ana"));

        client.sendRaw(frame.replace('\'', '"'));
        Frame.Error error = client.next(Frame.Error.class);

        assertThat(error.code()).as(what).isEqualTo(code);
        assertThat(error.id()).as(what).isNull();
        assertThat(error.message()).isNotBlank();
        assertStillServing(client);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusesBadInputWithTheDocumentedCodeAndKeepsServing(String what, String frame,
            String code) {
        TestClient client = hello(NodeProtocolTest.unique("ana"));

        client.sendRaw(frame.replace('\'', '"'));
        Frame.Error error = client.next(Frame.Error.class);

        assertThat(error.code()).as(what).isEqualTo(code);
        assertThat(error.id()).isEqualTo(41L);
        assertThat(error.message()).isNotBlank();
        assertStillServing(client);
    }

    @Test
    void refusesAHundredThousandCharacterMessageAsTooLarge() {
        TestClient client = hello("ana-large");

        client.send(new Frame.Send(42L, "general", "a".repeat(100_000), null));
        Frame.Error error = client.next(Frame.Error.class);

        assertThat(error.code()).isEqualTo("frame_too_large");
        assertThat(error.id()).isEqualTo(42L);
        assertStillServing(client);
    }

    @Test
    void refusesTextOfMoreThanFourThousandCodePoints() {
        TestClient client = hello("ana-long");

        Frame.Error error = client.callForError(new Frame.Send(43L, "general",
                "🙂".repeat(4_001), null));

        assertThat(error.code()).isEqualTo("text_too_long");
        assertThat(client.call(new Frame.Send(44L, "general", "🙂".repeat(4_000), null),
                Frame.Ack.class).message().text()).hasSize(8_000);
        assertStillServing(client);
    }

    @Test
    void refusesTextThatIsNotJson() {
        TestClient client = hello("ana-json");

        client.sendRaw("hola, ¿qué tal?");
        Frame.Error error = client.next(Frame.Error.class);

        assertThat(error.code()).isEqualTo("bad_frame");
        assertThat(error.id()).isNull();
        assertStillServing(client);
    }

    @Test
    void refusesBinaryFrames() {
        TestClient client = hello("ana-binary");

        client.sendBinary(new byte[] {1, 2, 3});
        Frame.Error error = client.next(Frame.Error.class);

        assertThat(error.code()).isEqualTo("bad_frame");
        assertStillServing(client);
    }

    @Test
    void requiresHelloBeforeAnythingElse() {
        TestClient client = connect();

        Frame.Error send = client.callForError(new Frame.Send(5L, "general", "hola", null));
        Frame.Error join = client.callForError(new Frame.Join(6L, "general", null, null));
        Frame.Welcome welcome = client.call(new Frame.Hello(7L, "ana-early", null),
                Frame.Welcome.class);

        assertThat(send.code()).isEqualTo("hello_required");
        assertThat(send.id()).isEqualTo(5L);
        assertThat(join.code()).isEqualTo("hello_required");
        assertThat(welcome.name()).isEqualTo("ana-early");
        assertStillServing(client);
    }

    @Test
    void refusesThe101stWaitingPopAndStillAnswersTheOthers() {
        TestClient client = hello("ana-pops");
        String queue = NodeProtocolTest.unique("vacia");
        for (long id = 1; id <= 100; id++) {
            client.send(new Frame.Pop(id, queue, 30_000L));
        }

        Frame.Error refused = client.callForError(new Frame.Pop(101L, queue, 30_000L));
        client.call(new Frame.Push(102L, queue, "uno"), Frame.Pushed.class);
        Frame.Popped popped = (Frame.Popped) client.next(Frame.Popped.class::isInstance);

        assertThat(refused.code()).isEqualTo("invalid_argument");
        assertThat(refused.message()).contains("100");
        assertThat(popped.id()).isBetween(1L, 100L);
        assertThat(popped.message().text()).isEqualTo("uno");
        assertStillServing(client);
    }

    @Test
    void refusesAnUnsupportedVersionAndABadName() {
        TestClient client = connect();

        Frame.Error version = client.callForError(new Frame.Hello(1L, "ana-v2", 2));
        Frame.Error name = client.callForError(new Frame.Hello(2L, " ana", null));
        Frame.Error control = client.callForError(new Frame.Hello(3L, "ana\u0007", null));

        assertThat(version.code()).isEqualTo("unsupported_version");
        assertThat(name.code()).isEqualTo("invalid_name");
        assertThat(control.code()).isEqualTo("invalid_name");
        assertThat(client.call(new Frame.Hello(4L, "ana-v1", 1), Frame.Welcome.class).name())
                .isEqualTo("ana-v1");
    }

    private static Arguments bad(String what, String frame, String code) {
        return Arguments.of(what, frame, code);
    }

    private void assertStillServing(TestClient client) {
        assertThat(client.call(new Frame.Ping(99L), Frame.Pong.class).id()).isEqualTo(99L);
        TestClient other = hello(null);
        assertThat(other.call(new Frame.Ping(98L), Frame.Pong.class).id()).isEqualTo(98L);
    }

    private TestClient connect() {
        TestClient client = TestClient.connect(node.port());
        clients.add(client);
        return client;
    }

    private TestClient hello(String name) {
        TestClient client = TestClient.hello(node.port(), name);
        clients.add(client);
        return client;
    }
}
