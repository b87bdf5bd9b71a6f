package io.floe.kernel.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.CorruptionException;
import io.floe.common.testing.HsErrCheck;
import io.floe.common.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes and damage: a torn final record is dropped; any other damage to the log or the pointer
 * is a {@link CorruptionException} naming the file, never another error and never a wrong state.
 */
class ManifestDamageTest {
    /** No JVM may crash on damaged bytes: a crash log in the module directory fails the class (see HsErrCheck). */
    @RegisterExtension
    static final HsErrCheck HS_ERR = new HsErrCheck();

    private static final int BUCKETS = 2;

    @TempDir
    Path tmp;

    private Path source;
    private String logName;
    private byte[] log;
    /** boundaries.get(i): the log's size after record i; states.get(i): the state then. */
    private final List<Long> boundaries = new ArrayList<>();
    private final List<String> states = new ArrayList<>();

    @BeforeEach
    void writeSmallManifest() throws IOException {
        SplittableRandom r = Seeds.random("ManifestDamageTest");
        source = tmp.resolve("source");
        ManifestTestSupport.Model model = new ManifestTestSupport.Model(BUCKETS);
        try (VersionSet set = VersionSet.open(source, BUCKETS, 1 << 20, f -> { })) {
            logName = ManifestLayout.logName(CurrentFile.read(source));
            boundaries.add(Files.size(source.resolve(logName)));
            states.add(model.describe());
            for (int i = 0; i < 5; i++) {
                VersionEdit edit = model.randomEdit(r, set);
                set.logAndApply(edit);
                model.apply(edit);
                boundaries.add(Files.size(source.resolve(logName)));
                states.add(model.describe());
            }
        }
        log = Files.readAllBytes(source.resolve(logName));
        assertThat((long) log.length).isEqualTo(boundaries.get(boundaries.size() - 1));
    }

    private Path copyWith(String name, byte[] logBytes) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.copy(source.resolve(ManifestLayout.CURRENT), dir.resolve(ManifestLayout.CURRENT));
        Files.write(dir.resolve(logName), logBytes);
        return dir;
    }

    private static String open(Path dir) {
        try (VersionSet set = VersionSet.open(dir, BUCKETS, 1 << 20, f -> { }); VersionSet.Pin pin = set.pin()) {
            return ManifestTestSupport.describe(pin.version());
        }
    }

    private String stateAt(long length) {
        int i = boundaries.size() - 1;
        while (boundaries.get(i) > length) {
            i--;
        }
        return states.get(i);
    }

    @Test
    void aTornTailIsDroppedAtEveryCutAndTheLogIsRolled() throws IOException {
        long firstRecordEnd = boundaries.get(0);
        for (long cut = firstRecordEnd; cut <= log.length; cut++) {
            Path dir = copyWith("cut-" + cut, Arrays.copyOf(log, (int) cut));
            assertThat(open(dir)).as("cut at %d", cut).isEqualTo(stateAt(cut));
            // reopening after the roll sees the same state, and the torn log is gone
            assertThat(open(dir)).isEqualTo(stateAt(cut));
            assertThat(Files.exists(dir.resolve(logName))).isFalse();
        }
    }

    @Test
    void aZeroFilledTailIsDropped() throws IOException {
        for (int zeros : new int[] {1, 11, 12, 13, 100}) {
            for (int i = 0; i < boundaries.size(); i++) {
                long cut = boundaries.get(i);
                byte[] bytes = Arrays.copyOf(Arrays.copyOf(log, (int) cut), (int) cut + zeros);
                Path dir = copyWith("zeros-" + zeros + "-" + i, bytes);
                assertThat(open(dir)).isEqualTo(states.get(i));
            }
        }
    }

    @Test
    void damageAtEveryOffsetIsCorruptionOrHarmless() throws IOException {
        String full = states.get(states.size() - 1);
        int corruptions = 0;
        for (int offset = 0; offset < log.length; offset++) {
            for (int mask : new int[] {0x01, 0xFF}) {
                byte[] bytes = log.clone();
                bytes[offset] ^= (byte) mask;
                Path dir = copyWith("flip-" + offset + "-" + mask, bytes);
                try {
                    assertThat(open(dir)).as("flip %02x at %d", mask, offset).isEqualTo(full);
                } catch (CorruptionException e) {
                    assertThat(e.file()).endsWith(logName);
                    corruptions++;
                }
            }
        }
        assertThat(corruptions).isEqualTo(log.length * 2);
    }

    @Test
    void aDamagedPointerIsCorruption() throws IOException {
        for (String text : new String[] {"", "MANIFEST-000001", "MANIFEST-00000x\n", "garbage\n", "MANIFEST-000099\n"}) {
            Path dir = copyWith("pointer-" + text.trim(), log);
            Files.writeString(dir.resolve(ManifestLayout.CURRENT), text);
            assertThatThrownBy(() -> open(dir)).isInstanceOfSatisfying(CorruptionException.class,
                    e -> assertThat(e.file()).endsWith(ManifestLayout.CURRENT));
        }
    }
}
