package io.floe.kernel.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.Seeds;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random edits and reopens against a model; obsolete files are deleted exactly once, only when unpinned. */
class VersionSetModelTest {
    @TempDir
    Path dir;

    @Test
    void randomEditsAndReopensMatchTheModel() {
        SplittableRandom r = Seeds.random("VersionSetModelTest.randomEditsAndReopensMatchTheModel");
        for (int round = 0; round < 20; round++) {
            Path manifest = dir.resolve("round-" + round);
            int buckets = 1 + r.nextInt(3);
            long rollBytes = r.nextBoolean() ? 256 : 1 << 20;
            ManifestTestSupport.Model model = new ManifestTestSupport.Model(buckets);
            Set<Long> deleted = new HashSet<>();
            VersionSet.FileDeleter deleter = f -> assertThat(deleted.add(f.fileNumber())).as("deleted twice: %s", f).isTrue();
            VersionSet set = VersionSet.open(manifest, buckets, rollBytes, deleter);
            Set<Long> everAdded = new HashSet<>();
            for (int step = 0; step < 150; step++) {
                if (r.nextInt(20) == 0) {
                    set.close();
                    set = VersionSet.open(manifest, buckets, rollBytes, deleter);
                } else {
                    VersionEdit edit = model.randomEdit(r, set);
                    set.logAndApply(edit);
                    model.apply(edit);
                    edit.added().forEach(f -> everAdded.add(f.fileNumber()));
                }
                try (VersionSet.Pin pin = set.pin()) {
                    assertThat(ManifestTestSupport.describe(pin.version())).isEqualTo(model.describe());
                }
                Set<Long> expectDeleted = new HashSet<>(everAdded);
                expectDeleted.removeAll(model.files.keySet());
                assertThat(deleted).isEqualTo(expectDeleted);
                long nextFile = set.newFileNumber();
                assertThat(everAdded).allMatch(n -> n < nextFile);
            }
            set.close();
            VersionSet reopened = VersionSet.open(manifest, buckets, rollBytes, deleter);
            try (VersionSet.Pin pin = reopened.pin()) {
                assertThat(ManifestTestSupport.describe(pin.version())).isEqualTo(model.describe());
            }
            reopened.close();
        }
    }

    @Test
    void pinnedFilesAreDeletedOnlyWhenTheLastPinCloses() {
        Set<Long> deleted = new HashSet<>();
        try (VersionSet set = VersionSet.open(dir, 1, 1 << 20, f -> deleted.add(f.fileNumber()))) {
            FileMeta a = new FileMeta(0, 1, 1, 10, new byte[] {1}, new byte[] {2}, 1, 5, 3);
            set.logAndApply(VersionEdit.builder().add(a).build());
            VersionSet.Pin first = set.pin();
            FileMeta b = new FileMeta(0, 2, 2, 10, new byte[] {1}, new byte[] {3}, 1, 5, 3);
            set.logAndApply(VersionEdit.builder().remove(0, 1).add(b).build());
            VersionSet.Pin second = set.pin();
            set.logAndApply(VersionEdit.builder().remove(0, 2).build());
            assertThat(deleted).isEmpty();
            first.close();
            first.close();
            assertThat(deleted).containsExactly(1L);
            second.close();
            assertThat(deleted).containsExactlyInAnyOrder(1L, 2L);
            assertThat(first.version().bucket(0).runs().get(0).files()).containsExactly(a);
        }
    }

    @Test
    void anEditThatDoesNotApplyIsRejectedAndNotLogged() {
        try (VersionSet set = VersionSet.open(dir, 2, 1 << 20, f -> { })) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> set.logAndApply(VersionEdit.builder().remove(0, 9).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not have");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> set.logAndApply(VersionEdit.builder()
                    .add(new FileMeta(0, 1, 1, 10, new byte[] {1}, new byte[] {5}, 1, 5, 3))
                    .add(new FileMeta(0, 1, 2, 10, new byte[] {4}, new byte[] {9}, 1, 5, 3)).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlapping");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> set.logAndApply(VersionEdit.builder().flushedSeq(2, 1).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 buckets");
        }
        try (VersionSet set = VersionSet.open(dir, 2, 1 << 20, f -> { }); VersionSet.Pin pin = set.pin()) {
            assertThat(pin.version().allFiles()).isEmpty();
        }
    }
}
