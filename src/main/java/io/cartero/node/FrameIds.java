package io.cartero.node;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Finds the request id of a frame that is too large to be decoded, so that its error can still
 * answer it. Scans the top-level fields with a streaming parser and builds nothing.
 */
final class FrameIds {
    private static final JsonFactory JSON = new JsonFactory();

    private FrameIds() {
    }

    /** The integer {@code id} of the JSON object in {@code text}, or {@code null}. */
    static Long peek(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("id".equals(field)) {
                    return value == JsonToken.VALUE_NUMBER_INT && isLong(parser)
                            ? parser.getLongValue() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isLong(JsonParser parser) throws IOException {
        JsonParser.NumberType type = parser.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }
}
