package io.cartero.broker.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One Lua script kept as a resource under {@code cartero/redis/}, run by its SHA-1 digest and
 * sent whole only when Redis does not know it yet (after a restart or SCRIPT FLUSH). Names of
 * rooms, queues and users are always KEYS or ARGV, never part of the script's text. Immutable.
 */
final class LuaScript {
    private static final String FOLDER = "/cartero/redis/";

    private final String name;
    private final String body;
    private final String digest;

    private LuaScript(String name, String body) {
        this.name = name;
        this.body = body;
        this.digest = sha1(body);
    }

    /** The script {@code name}.lua with the shared room functions of epoch.lua before it. */
    static LuaScript withEpoch(String name) {
        return new LuaScript(name, read("epoch") + "\n" + read(name));
    }

    /** The script {@code name}.lua alone. */
    static LuaScript plain(String name) {
        return new LuaScript(name, read(name));
    }

    String name() {
        return name;
    }

    /** Makes Redis know the script, so that later runs send only its digest. */
    void load(RedisCommands<String, String> redis) {
        redis.scriptLoad(body);
    }

    /** Runs the script; the result as Lettuce decodes a Lua reply of {@code type}. */
    <T> CompletableFuture<T> run(RedisAsyncCommands<String, String> redis, ScriptOutputType type,
            String[] keys, String... args) {
        CompletableFuture<T> bySha = redis.<T>evalsha(digest, type, keys, args)
                .toCompletableFuture();
        return bySha.handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (unwrap(failure) instanceof RedisNoScriptException) {
                return redis.<T>eval(body, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(unwrap(failure));
        }).thenCompose(next -> next);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    private static String read(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(FOLDER + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + name + ".lua", e);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this Java", e);
        }
    }
}
