package io.cartero.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {
    private static final Message MESSAGE = new Message("general", 12, "k7d2q9x4mb", "ana",
            "hola ñandú 🙂", 1_764_776_527_000L, Kind.CHAT);
    private static final QueueMessage QUEUED = new QueueMessage("tareas", "ana",
            "imprimir informe", 1_764_776_527_000L);

    private static final String DM = DirectRooms.room("ana", "bob");
    private static final List<String> BETWEEN = List.of("ana", "bob");
    private static final Message DM_MESSAGE = new Message(DM, 3, "k7d2q9x4mb", "ana", "hola",
            1_764_776_527_000L, Kind.CHAT);

    private final FrameCodec codec = new FrameCodec();

    static Stream<Frame> everyFrame() {
        return Stream.of(
                new Frame.Hello(1L, "ana", 1),
                new Frame.Hello(null, null, null),
                new Frame.Join(2L, "general", null, 20),
                new Frame.Join(2L, "general", new Frame.After("k7d2q9x4mb", 12L), null),
                new Frame.Leave(3L, "general"),
                new Frame.Send(4L, "general", "hola", "c0a8-17"),
                new Frame.History(5L, "general", 16L, 2),
                new Frame.Who(6L, "general"),
                new Frame.ListRooms(7L),
                new Frame.Push(8L, "tareas", "imprimir informe"),
                new Frame.Pop(9L, "tareas", 1000L),
                new Frame.Take(12L, "tareas", 1000L, 30_000L),
                new Frame.Confirm(13L, "tareas", "r-7"),
                new Frame.Depth(10L, "tareas"),
                new Frame.Ping(11L),
                new Frame.Join(2L, null, null, 20, "bob"),
                new Frame.Leave(3L, null, "bob"),
                new Frame.Send(4L, null, "hola", "c0a8-18", "bob"),
                new Frame.History(5L, null, 16L, 2, "bob"),
                new Frame.Who(6L, null, "bob"),
                new Frame.Typing(14L, "general"),
                new Frame.Typing(14L, null, "bob", null, null),
                new Frame.Typing(null, DM, null, "ana", BETWEEN),
                new Frame.Welcome(1L, "ana", 1, "aula-3f9c", new Frame.Limits(65_536, 4000, 500)),
                new Frame.Joined(2L, "general", "k7d2q9x4mb", "complete", 15,
                        List.of("ana", "luis")),
                new Frame.Left(3L, "general"),
                new Frame.MessageFrame(null, MESSAGE),
                new Frame.MessageFrame(null, new Message("general", 13, "k7d2q9x4mb", "luis",
                        "", 1_764_776_528_000L, Kind.JOIN)),
                new Frame.HistoryLost(null, "general", "k7d2q9x4mb", 5001),
                new Frame.Ack(4L, MESSAGE),
                new Frame.HistoryPage(5L, "general", List.of(MESSAGE)),
                new Frame.Members(6L, "general", List.of("ana", "luis")),
                new Frame.RoomList(7L, List.of(new Frame.RoomEntry("general", "k7d2q9x4mb", 16,
                        2))),
                new Frame.Pushed(8L, QUEUED),
                new Frame.Popped(9L, "tareas", QUEUED),
                new Frame.Popped(9L, "tareas", null),
                new Frame.TakenMessage(12L, "tareas", QUEUED, "r-7", 1),
                new Frame.TakenMessage(12L, "tareas", null, null, null),
                new Frame.Confirmed(13L, "tareas", "r-7", true),
                new Frame.QueueDepth(10L, "tareas", 3),
                new Frame.Pong(11L),
                new Frame.Ok(14L),
                new Frame.Direct(null, "bob", DM),
                new Frame.Joined(2L, DM, "k7d2q9x4mb", "fresh", 0, List.of("ana"), BETWEEN),
                new Frame.Left(3L, DM, BETWEEN),
                new Frame.MessageFrame(null, DM_MESSAGE, BETWEEN),
                new Frame.HistoryLost(null, DM, "k7d2q9x4mb", 7, BETWEEN),
                new Frame.Ack(4L, DM_MESSAGE, BETWEEN),
                new Frame.HistoryPage(5L, DM, List.of(DM_MESSAGE), BETWEEN),
                new Frame.Members(6L, DM, List.of("ana", "bob"), BETWEEN),
                new Frame.Error(4L, "text_too_long", "message text is longer than 4000"),
                new Frame.Send(4L, "general", "hola", "c0a8-19", null, 1_764_776_526_990L),
                new Frame.Watch(20L),
                new Frame.Unwatch(21L),
                new Frame.Journey(22L, "general", 12L, "k7d2q9x4mb"),
                new Frame.Journey(22L, "general", 12L, null),
                new Frame.Compare(23L, 6),
                new Frame.Operate(30L, "clase-de-redes-2026", "pause", "ana", null, null, null,
                        null, null),
                new Frame.Operate(31L, "clase-de-redes-2026", "simulate", null, "producer",
                        null, "tareas", 5.0, 2),
                new Frame.Watching(20L, "aula-3f9c", 4),
                new Frame.View(null,
                        List.of(new Picture.NodeBox("aula-3f9c", true, 3, false, 0)),
                        new Picture.BrokerBox("memory", "memory", true),
                        List.of(new Picture.Client("c1", "pablo", List.of("producer"), List.of(),
                                List.of(), false)),
                        List.of(new Picture.RoomBox("general", "k7d2q9x4mb", 12, 2,
                                List.of("c2"))),
                        List.of(new Picture.QueueBox("tareas", 3, List.of("c2"))),
                        List.of(new Picture.Edge("conn:c1", "room:general", 5, 1.5)),
                        List.of(new Picture.Flow("general", "k7d2q9x4mb", 12, "pablo", "conn:c1",
                                1_764_776_527_000L)),
                        1),
                new Frame.JourneyReport(22L, "general", 12, "k7d2q9x4mb", "pablo", List.of(
                        new Picture.Hop("client_sent", null, "client", "c1", "pablo", null),
                        new Picture.Hop("broker_stored", 1_764_776_527_000L, "broker", null,
                                null, "MemoryBroker append (ring in memory)"))),
                new Frame.Comparison(23L, 2,
                        new Picture.Semantics("queue", "side-by-side-3f9c", List.of(
                                new Picture.Share("consumer-1", List.of(1)),
                                new Picture.Share("consumer-2", List.of(2)))),
                        new Picture.Semantics("room", "side-by-side-3f9c", List.of(
                                new Picture.Share("consumer-1", List.of(1, 2)),
                                new Picture.Share("consumer-2", List.of(1, 2))))),
                new Frame.Operated(30L, "pause", "ana", "1 connection(s)"));
    }

    @ParameterizedTest
    @MethodSource("everyFrame")
    void everyFrameSurvivesARoundTrip(Frame frame) {
        assertThat(codec.decode(codec.encode(frame))).isEqualTo(frame);
    }

    @Test
    void coversEveryFrameType() {
        assertThat(everyFrame().map(Object::getClass).distinct())
                .containsExactlyInAnyOrder(Frame.class.getPermittedSubclasses());
    }

    @Test
    void writesSnakeCaseFieldsAndTheTypeAndLeavesOutAbsentOnes() {
        String json = codec.encode(new Frame.Pop(9L, "tareas", 1000L));

        assertThat(json).contains("\"type\":\"pop\"", "\"wait_ms\":1000")
                .doesNotContain("waitMs");
        assertThat(codec.encode(new Frame.Hello(null, null, null)))
                .isEqualTo("{\"type\":\"hello\"}");
    }

    @Test
    void writesKindsInLowercase() {
        assertThat(codec.encode(new Frame.MessageFrame(null, MESSAGE)))
                .contains("\"kind\":\"chat\"", "\"sent_at\":1764776527000");
    }

    @Test
    void ignoresFieldsItDoesNotKnow() {
        Frame frame = codec.decode("{\"type\":\"send\",\"id\":4,\"room\":\"general\","
                + "\"text\":\"hola\",\"sender\":\"luis\",\"color\":\"red\"}");

        assertThat(frame).isEqualTo(new Frame.Send(4L, "general", "hola", null));
    }

    @Test
    void refusesTextThatIsNotJson() {
        assertRefused("this is not json", ErrorCode.BAD_FRAME, null);
        assertRefused("{\"type\":\"ping\"", ErrorCode.BAD_FRAME, null);
        assertRefused("", ErrorCode.BAD_FRAME, null);
    }

    @Test
    void refusesJsonThatIsNotAnObject() {
        assertRefused("[1, 2]", ErrorCode.BAD_FRAME, null);
        assertRefused("\"ping\"", ErrorCode.BAD_FRAME, null);
        assertRefused("42", ErrorCode.BAD_FRAME, null);
    }

    @Test
    void refusesAnUnknownTypeKeepingTheId() {
        assertRefused("{\"type\":\"dance\",\"id\":7}", ErrorCode.UNKNOWN_TYPE, 7L);
    }

    @Test
    void refusesAFrameWithoutTypeKeepingTheId() {
        assertRefused("{\"id\":3,\"room\":\"general\"}", ErrorCode.MISSING_FIELD, 3L);
        assertRefused("{\"id\":3,\"type\":12}", ErrorCode.MISSING_FIELD, 3L);
    }

    @Test
    void refusesAMissingRequiredFieldKeepingTheId() {
        assertRefused("{\"type\":\"join\",\"id\":4}", ErrorCode.MISSING_FIELD, 4L);
        assertRefused("{\"type\":\"send\",\"id\":5,\"room\":\"general\"}",
                ErrorCode.MISSING_FIELD, 5L);
        assertRefused("{\"type\":\"join\",\"id\":6,\"room\":\"general\",\"after\":{\"offset\":3}}",
                ErrorCode.MISSING_FIELD, 6L);
        assertRefused("{\"type\":\"pop\",\"id\":7}", ErrorCode.MISSING_FIELD, 7L);
        assertRefused("{\"type\":\"take\",\"id\":7,\"queue\":\"q\"}", ErrorCode.MISSING_FIELD,
                7L);
        assertRefused("{\"type\":\"confirm\",\"id\":7,\"queue\":\"q\"}",
                ErrorCode.MISSING_FIELD, 7L);
    }

    @Test
    void refusesAFieldOfTheWrongTypeKeepingTheId() {
        assertRefused("{\"type\":\"join\",\"id\":8,\"room\":{\"name\":\"general\"}}",
                ErrorCode.MISSING_FIELD, 8L);
        assertRefused("{\"type\":\"history\",\"id\":9,\"room\":\"general\",\"limit\":\"many\"}",
                ErrorCode.MISSING_FIELD, 9L);
        assertRefused("{\"type\":\"pop\",\"id\":10,\"queue\":\"q\",\"wait_ms\":[1]}",
                ErrorCode.MISSING_FIELD, 10L);
    }

    @Test
    void readsWithInsteadOfRoomAndRefusesBothOrNeither() {
        assertThat(codec.decode("{\"type\":\"send\",\"id\":4,\"with\":\"bob\","
                + "\"text\":\"hola\"}"))
                .isEqualTo(new Frame.Send(4L, null, "hola", null, "bob"));

        for (String type : List.of("join", "leave", "send", "history", "who", "typing")) {
            assertRefused("{\"type\":\"" + type + "\",\"id\":21,\"room\":\"general\","
                    + "\"with\":\"bob\",\"text\":\"hola\"}", ErrorCode.INVALID_ARGUMENT, 21L);
            assertRefused("{\"type\":\"" + type + "\",\"id\":22,\"text\":\"hola\"}",
                    ErrorCode.MISSING_FIELD, 22L);
        }
    }

    @Test
    void writesBetweenOnlyForDirectRooms() {
        assertThat(codec.encode(new Frame.MessageFrame(null, DM_MESSAGE, BETWEEN)))
                .startsWith("{\"type\":\"message\",")
                .contains("\"between\":[\"ana\",\"bob\"]", "\"room\":\"" + DM + "\"");
        assertThat(codec.encode(new Frame.MessageFrame(null, MESSAGE)))
                .doesNotContain("between");
        assertThat(codec.encode(new Frame.Typing(null, DM, null, "ana", BETWEEN)))
                .isEqualTo("{\"type\":\"typing\",\"room\":\"" + DM + "\",\"name\":\"ana\","
                        + "\"between\":[\"ana\",\"bob\"]}");
        assertThat(codec.encode(new Frame.Direct(null, "bob", DM)))
                .isEqualTo("{\"type\":\"direct\",\"with\":\"bob\",\"room\":\"" + DM + "\"}");
        assertThat(codec.encode(new Frame.Ok(9L))).isEqualTo("{\"type\":\"ok\",\"id\":9}");
    }

    @Test
    void leavesTheIdOutWhenItIsNotAnInteger() {
        assertRefused("{\"type\":\"dance\",\"id\":\"seven\"}", ErrorCode.UNKNOWN_TYPE, null);
        assertRefused("{\"type\":\"dance\",\"id\":1.5}", ErrorCode.UNKNOWN_TYPE, null);
    }

    @Test
    void neverThrowsAnythingButFrameException() {
        List<String> texts = List.of("{", "null", "{\"type\":null}",
                "{\"type\":\"join\",\"id\":99999999999999999999999}",
                "{\"type\":\"message\",\"message\":{\"kind\":\"x\"}}");
        for (String text : texts) {
            assertThatThrownBy(() -> codec.decode(text)).isInstanceOf(FrameException.class);
        }
    }

    private void assertRefused(String text, ErrorCode code, Long id) {
        FrameException refused = catchThrowableOfType(FrameException.class,
                () -> codec.decode(text));

        assertThat(refused).as("decoding %s", text).isNotNull();
        assertThat(refused.code()).as("code for %s", text).isEqualTo(code);
        assertThat(refused.requestId()).as("id for %s", text).isEqualTo(id);
        assertThat(refused.getMessage()).isNotBlank();
    }
}
