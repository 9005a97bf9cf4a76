package io.cartero.broker;

/**
 * A room as the broker knows it.
 *
 * @param name the room's name
 * @param epoch its current epoch
 * @param lastOffset the newest message's offset, 0 if none
 * @param members how many people are in it now
 */
public record RoomInfo(String name, String epoch, long lastOffset, int members) {
}
