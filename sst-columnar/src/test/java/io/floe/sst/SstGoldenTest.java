package io.floe.sst;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.testing.GoldenFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests of the page encodings ({@code testdata/encodings.txt}) and of the layout of the
 * reference file ({@code testdata/sst-layout.txt}). Rewrite with {@code -Dfloe.test.jvm.extra=-Drewrite=true}.
 */
class SstGoldenTest {
    @TempDir
    Path dir;
    final OffHeapAllocator allocator = new OffHeapAllocator("golden", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    /**
     * {@code longs [nullable]} with one value per line ("null" for null), or {@code bytes [nullable]}
     * with one string per line (\0 for a zero byte, "null" for null): prints the chosen encoding, the
     * page body in hex, and the values decoded back.
     */
    @Test
    void encodings() {
        GoldenFile.run("encodings.txt", c -> {
            boolean variable = c.command().startsWith("bytes");
            boolean nullable = c.command().contains("nullable");
            try (ValueVector in = new ValueVector(variable, allocator, MemoryPurpose.SST_WRITE);
                 ValueVector out = new ValueVector(variable, allocator, MemoryPurpose.SST_READ);
                 PageEncoder encoder = new PageEncoder(allocator);
                 PageDecoder decoder = new PageDecoder(allocator);
                 ByteSink body = new ByteSink(allocator, MemoryPurpose.SST_WRITE)) {
                for (String line : c.input()) {
                    if (line.equals("null")) {
                        in.appendNull();
                    } else if (variable) {
                        byte[] b = line.replace("\\0", "\0").getBytes(StandardCharsets.UTF_8);
                        in.appendBytes(new org.agrona.concurrent.UnsafeBuffer(b), 0, b.length);
                    } else {
                        in.appendLong(Long.parseLong(line));
                    }
                }
                byte encoding = encoder.encode(in, nullable, 0.5, body);
                byte[] bytes = new byte[body.position()];
                body.buffer().getBytes(0, bytes);
                StringBuilder result = new StringBuilder(SstLayout.encodingName(encoding)).append(' ').append(bytes.length).append(" bytes\n");
                String hex = HexFormat.of().formatHex(bytes);
                for (int i = 0; i < hex.length(); i += 64) {
                    result.append(hex, i, Math.min(hex.length(), i + 64)).append('\n');
                }
                BlockReader reader = new BlockReader("golden").wrap(body.buffer(), 0, bytes.length, 0, "page");
                decoder.decode(reader, in.size(), nullable, out);
                result.append("decoded");
                for (int i = 0; i < out.size(); i++) {
                    result.append(' ');
                    if (out.isNull(i)) {
                        result.append("null");
                    } else if (variable) {
                        result.append('"').append(new String(Models.bytes(out, i), StandardCharsets.UTF_8).replace("\0", "\\0")).append('"');
                    } else {
                        result.append(out.getLong(i));
                    }
                }
                return result.append('\n').toString();
            }
        });
    }

    /** {@code dump}: the structure of the reference file; {@code hex FROM TO}: its bytes in that range. */
    @Test
    void referenceFileLayout() throws Exception {
        Path path = dir.resolve("reference.sst");
        ReferenceFile.write(path, allocator);
        byte[] file = Files.readAllBytes(path);
        try (SstReader reader = SstReader.open(path, allocator)) {
            GoldenFile.run("sst-layout.txt", c -> {
                String[] args = c.command().split(" ");
                if (args[0].equals("dump")) {
                    return SstDump.describe(reader);
                }
                int from = Integer.parseInt(args[1]);
                int to = args[2].equals("end") ? file.length : Integer.parseInt(args[2]);
                from = from < 0 ? file.length + from : from;
                StringBuilder out = new StringBuilder();
                for (int i = from; i < to; i += 16) {
                    out.append(String.format("%06d  ", i)).append(HexFormat.of().formatHex(file, i, Math.min(to, i + 16))).append('\n');
                }
                return out.toString();
            });
        }
    }
}
