package io.cartero.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartero.message.QueueMessage;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The decoder of the workshop's list entries on arbitrary and hostile input: it returns a
 * message or says why the entry is malformed (so that it is set aside), and nothing else.
 */
class WorkshopListFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WorkshopListFormat format = new WorkshopListFormat(ZoneOffset.UTC, "10.0.0.1");

    @Property(tries = 500)
    void anyTextIsAMessageOrMalformed(@ForAll("anyText") String entry) {
        assertDecodesOrSetsAside(entry);
    }

    @Property(tries = 500)
    void hostileObjectsAreMessagesOrMalformed(@ForAll("hostileObjects") String entry) {
        assertDecodesOrSetsAside(entry);
    }

    private void assertDecodesOrSetsAside(String entry) {
        Throwable failure = catchThrowable(() -> {
            QueueMessage message = format.decode("chat_simple", entry);
            assertThat(message.queue()).isEqualTo("chat_simple");
            assertThat(message.sender()).isNotNull();
            assertThat(message.text()).isNotNull();
        });
        if (failure != null) {
            assertThat(failure).isInstanceOf(WorkshopListFormat.MalformedEntry.class);
        }
    }

    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789.-eE"
                + "truefalsn \\u").ofMaxLength(200);
        Arbitrary<String> huge = Arbitraries.integers().between(65_000, 70_000)
                .map(n -> "{\"usuario\": \"" + "a".repeat(n) + "\"}");
        return Arbitraries.oneOf(anything, jsonish, huge);
    }

    @Provide
    Arbitrary<String> hostileObjects() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(50).map(s -> (Object) s),
                Arbitraries.of("10:42:07", "10:42", "24:00:00", "99:99:99", "", "10:42:07.5",
                        "-1:00", "\u0000", "10:42:07\n").map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.of(Boolean.TRUE, "null-node", List.of(1, 2), List.of()));
        Arbitrary<String> key = Arbitraries.of("usuario", "mensaje", "tiempo", "hora",
                "ip_origen", "otro", "");
        return Arbitraries.maps(key, value).ofMaxSize(7).map(fields -> {
            ObjectNode node = JSON.createObjectNode();
            fields.forEach((k, v) -> {
                if ("null-node".equals(v)) {
                    node.putNull(k);
                } else {
                    node.set(k, JSON.valueToTree(v));
                }
            });
            return node.toString();
        });
    }
}
