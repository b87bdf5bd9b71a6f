package io.floe.changelog;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * File-level facts about a changelog's queue files: which file holds a roll cycle (fsync is
 * {@link io.floe.common.io.DurableFiles}'s). A queue file is named by Chronicle from its cycle (the cycle's start
 * time, UTC, in the roll cycle's format) with the suffix {@value SingleChronicleQueue#SUFFIX}.
 *
 * <p>Threads: immutable after construction; safe from any thread.
 */
final class QueueFiles {
    private final Path dir;
    private final RollCycle rollCycle;
    private final long epoch;
    private final DateTimeFormatter format;

    QueueFiles(Path dir, SingleChronicleQueue queue) {
        this.dir = dir;
        this.rollCycle = queue.rollCycle();
        this.epoch = queue.epoch();
        this.format = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
    }

    /** Returns the path of the queue file that holds {@code cycle}. */
    Path fileOf(int cycle) {
        long millis = (long) cycle * rollCycle.lengthInMillis() + epoch;
        return dir.resolve(format.format(Instant.ofEpochMilli(millis)) + SingleChronicleQueue.SUFFIX);
    }
}
