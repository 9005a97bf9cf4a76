package io.cartero.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MutableCoercionConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns frames into JSON text and back. Decoding never throws anything but a
 * {@link FrameException}, whose code says what was wrong: not JSON ({@code bad_frame}), an
 * unknown {@code type} ({@code unknown_type}), or a required field missing or of the wrong type
 * ({@code missing_field}). A field's JSON type is its type: {@code "5"} where a number goes,
 * {@code 7} where a string goes, or {@code 2.5} where an integer goes, is the wrong type, never
 * converted. Unknown fields are ignored, so that newer clients can talk to older nodes.
 * Thread-safe.
 */
public final class FrameCodec {
    private static final Map<String, Class<? extends Frame>> TYPES = Stream
            .of(Frame.class.getAnnotation(
                    com.fasterxml.jackson.annotation.JsonSubTypes.class).value())
            .map(type -> type.value().asSubclass(Frame.class))
            .collect(Collectors.toUnmodifiableMap(FrameCodec::typeName, Function.identity()));

    private final ObjectMapper mapper;

    public FrameCodec() {
        SimpleModule kinds = new SimpleModule("cartero-kinds")
                .addSerializer(Kind.class, new KindSerializer())
                .addDeserializer(Kind.class, new KindDeserializer());
        mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Textual, FrameCodec::onlyItsOwnShape)
                .withCoercionConfig(LogicalType.Integer, FrameCodec::onlyItsOwnShape)
                .withCoercionConfig(LogicalType.Float, FrameCodec::onlyItsOwnShape)
                .withCoercionConfig(LogicalType.Boolean, FrameCodec::onlyItsOwnShape)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .addModule(kinds)
                .build();
    }

    /** Refuses to turn a JSON value of another type (a number, a string...) into this one. */
    private static void onlyItsOwnShape(MutableCoercionConfig config) {
        for (CoercionInputShape shape : List.of(CoercionInputShape.String,
                CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
    }

    /** The JSON text of {@code frame}. */
    public String encode(Frame frame) {
        try {
            return mapper.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode frame " + frame, e);
        }
    }

    /** The JSON text of {@code frame}, encoded in UTF-8. */
    public byte[] encodeUtf8(Frame frame) {
        try {
            return mapper.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode frame " + frame, e);
        }
    }

    /** The JSON text of a message, as it appears inside frames. */
    public String encodeMessage(Message message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode message " + message, e);
        }
    }

    /** The frame in {@code text}. */
    public Frame decode(String text) {
        ObjectNode tree = parseObject(text);
        Long id = requestId(tree);
        JsonNode typeNode = tree.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new FrameException(ErrorCode.MISSING_FIELD, "frame has no \"type\"", id);
        }
        Class<? extends Frame> type = TYPES.get(typeNode.asText());
        if (type == null) {
            throw new FrameException(ErrorCode.UNKNOWN_TYPE,
                    "unknown frame type \"" + typeNode.asText() + "\"", id);
        }
        Frame frame = bind(tree, type, id);
        RequiredFields.check(frame);
        return frame;
    }

    private ObjectNode parseObject(String text) {
        JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FrameException(ErrorCode.BAD_FRAME, "frame is not valid JSON", null);
        }
        if (tree == null || !tree.isObject()) {
            throw new FrameException(ErrorCode.BAD_FRAME, "frame is not a JSON object", null);
        }
        return (ObjectNode) tree;
    }

    private static Long requestId(JsonNode tree) {
        JsonNode id = tree.get("id");
        return id != null && id.canConvertToLong() && id.isIntegralNumber() ? id.asLong() : null;
    }

    private Frame bind(ObjectNode tree, Class<? extends Frame> type, Long id) {
        try {
            return mapper.treeToValue(tree, Frame.class);
        } catch (JsonProcessingException e) {
            ValidationException invalid = findValidation(e);
            if (invalid != null) {
                throw new FrameException(invalid.code(), invalid.getMessage(), id);
            }
            throw new FrameException(ErrorCode.MISSING_FIELD,
                    "a field of \"" + typeName(type) + "\" has the wrong type"
                            + fieldPath(e), id);
        }
    }

    private static ValidationException findValidation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ValidationException v) {
                return v;
            }
        }
        return null;
    }

    private static String fieldPath(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                && !m.getPath().isEmpty()) {
            String name = m.getPath().get(m.getPath().size() - 1).getFieldName();
            return name == null ? "" : ": " + name;
        }
        return "";
    }

    private static String typeName(Class<?> type) {
        return type.getAnnotation(com.fasterxml.jackson.annotation.JsonTypeName.class).value();
    }

    private static final class KindSerializer extends JsonSerializer<Kind> {
        @Override
        public void serialize(Kind kind, JsonGenerator out, SerializerProvider provider)
                throws IOException {
            out.writeString(kind.wireName());
        }
    }

    private static final class KindDeserializer extends JsonDeserializer<Kind> {
        @Override
        public Kind deserialize(JsonParser in, DeserializationContext context)
                throws IOException {
            return Kind.fromWireName(in.getValueAsString());
        }
    }
}
