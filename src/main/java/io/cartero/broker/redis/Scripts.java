package io.cartero.broker.redis;

import java.util.List;

/** Every Lua script a Redis broker runs; each broker loads them all when it connects. */
final class Scripts {
    static final LuaScript PUBLISH = LuaScript.withEpoch("publish");
    static final LuaScript OPEN = LuaScript.withEpoch("open");
    static final LuaScript READ = LuaScript.withEpoch("read");
    static final LuaScript HISTORY = LuaScript.plain("history");
    static final LuaScript INFO = LuaScript.plain("info");
    static final LuaScript PRESENCE = LuaScript.plain("presence");
    static final LuaScript RELEASE = LuaScript.plain("release");
    static final LuaScript RESERVE = LuaScript.plain("reserve");
    static final LuaScript TAKE = LuaScript.plain("take");
    static final LuaScript CONFIRM = LuaScript.plain("confirm");
    static final LuaScript REAP = LuaScript.plain("reap");
    static final LuaScript GIVE_BACK = LuaScript.plain("giveback");

    /**
     * All of them. Loading them up front matters for order, not only speed: a script Redis
     * does not know is sent again after the NOSCRIPT reply, behind commands sent meanwhile.
     */
    static final List<LuaScript> ALL =
            List.of(PUBLISH, OPEN, READ, HISTORY, INFO, PRESENCE, RELEASE, RESERVE, TAKE,
                    CONFIRM, REAP, GIVE_BACK);

    private Scripts() {
    }
}
