package io.floe.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags every Floe JVM needs on Java 17 (Agrona's and Chronicle Queue's module exports and
 * opens, and {@code -Dchronicle.analytics.disable=true}). The list lives once, in the parent pom's
 * {@code floe.jvm.flags} property; the build copies it into this module's resources, and JMH forks
 * and child JVMs started by tests take it from here.
 */
public final class JvmFlags {
    private static final List<String> FLAGS = load();

    private JvmFlags() {
    }

    /** Returns the flags, one element each. */
    public static List<String> required() {
        return FLAGS;
    }

    private static List<String> load() {
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.txt")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.txt is missing from the floe-common jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (text.startsWith("${")) {
                throw new IllegalStateException("jvm-flags.txt was not filtered by the build: " + text);
            }
            return List.copyOf(Arrays.asList(text.split("\\s+")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
