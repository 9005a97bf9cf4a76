package io.cartero.message;

/**
 * The rules for what people type: room and queue names, user names and message texts. Every
 * check throws a {@link ValidationException} whose code says which rule was broken.
 */
public final class Names {
    /** The longest room or queue name, in characters. */
    public static final int MAX_ROOM_LENGTH = 64;
    /** The longest user name, in code points. */
    public static final int MAX_USER_LENGTH = 32;
    /** The longest message text, in Unicode code points. */
    public static final int MAX_TEXT_CODE_POINTS = 4_000;

    private Names() {
    }

    /** Returns {@code room} if it is 1-64 characters of {@code a-z}, {@code 0-9}, -, _ or . */
    public static String requireRoom(String room) {
        if (room == null || room.isEmpty()) {
            throw new ValidationException(ErrorCode.INVALID_ROOM, "room name is empty");
        }
        if (room.length() > MAX_ROOM_LENGTH) {
            throw new ValidationException(ErrorCode.INVALID_ROOM,
                    "room name is longer than " + MAX_ROOM_LENGTH + " characters");
        }
        for (int i = 0; i < room.length(); i++) {
            if (!isRoomChar(room.charAt(i))) {
                throw new ValidationException(ErrorCode.INVALID_ROOM,
                        "room name may only contain a-z, 0-9, '-', '_' and '.': " + room);
            }
        }
        return room;
    }

    /** Returns {@code user} if it is 1-32 printable code points with no control characters. */
    public static String requireUser(String user) {
        if (user == null || user.codePoints().allMatch(Character::isSpaceChar)) {
            throw new ValidationException(ErrorCode.INVALID_NAME, "user name is empty");
        }
        if (user.codePointCount(0, user.length()) > MAX_USER_LENGTH) {
            throw new ValidationException(ErrorCode.INVALID_NAME,
                    "user name is longer than " + MAX_USER_LENGTH + " characters");
        }
        if (Character.isSpaceChar(user.codePointAt(0))
                || Character.isSpaceChar(user.codePointBefore(user.length()))) {
            throw new ValidationException(ErrorCode.INVALID_NAME,
                    "user name starts or ends with a space");
        }
        if (!isWellFormed(user) || user.codePoints().anyMatch(Names::isUnprintable)) {
            throw new ValidationException(ErrorCode.INVALID_NAME,
                    "user name contains control characters");
        }
        return user;
    }

    /**
     * Returns {@code holder} if it can name a session holding a user name: 1-128 characters
     * from {@code A-Za-z0-9-_}.
     */
    public static String requireHolder(String holder) {
        if (holder == null || holder.isEmpty() || holder.length() > 128
                || !holder.chars().allMatch(Names::isHolderChar)) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "session must be 1-128 characters from A-Z, a-z, 0-9, - and _");
        }
        return holder;
    }

    private static boolean isHolderChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_';
    }

    /** Returns {@code text} if it has 1-4,000 code points, no NUL and no unpaired surrogate. */
    public static String requireText(String text) {
        if (text == null || text.isEmpty()) {
            throw new ValidationException(ErrorCode.EMPTY_TEXT, "message text is empty");
        }
        if (text.length() > 2 * MAX_TEXT_CODE_POINTS
                || text.codePointCount(0, text.length()) > MAX_TEXT_CODE_POINTS) {
            throw new ValidationException(ErrorCode.TEXT_TOO_LONG,
                    "message text is longer than " + MAX_TEXT_CODE_POINTS + " characters");
        }
        if (text.indexOf('\0') >= 0 || !isWellFormed(text)) {
            throw new ValidationException(ErrorCode.INVALID_TEXT,
                    "message text contains NUL or broken Unicode");
        }
        return text;
    }

    private static boolean isRoomChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.';
    }

    private static boolean isUnprintable(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED || type == Character.PRIVATE_USE;
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
