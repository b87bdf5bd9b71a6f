package io.floe.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.FloeIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
    @Test
    void writeAtomicallyReplacesWholeAndLeavesNoTemporary(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("CURRENT");
        DurableFiles.writeAtomically(target, "one\n".getBytes(StandardCharsets.US_ASCII));
        DurableFiles.writeAtomically(target, "two\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(Files.readString(target)).isEqualTo("two\n");
        assertThat(dir.resolve("CURRENT.tmp")).doesNotExist();
        DurableFiles.fsync(target);
        DurableFiles.fsyncDirectory(dir);
    }

    @Test
    void failuresNameTheOperationAndPath(@TempDir Path dir) throws Exception {
        Path missingDir = dir.resolve("no-such-dir");
        assertThatThrownBy(() -> DurableFiles.writeAtomically(missingDir.resolve("x"), new byte[1]))
                .isInstanceOf(FloeIOException.class).hasMessageContaining("write").hasMessageContaining("no-such-dir");
        assertThatThrownBy(() -> DurableFiles.fsyncDirectory(missingDir)).isInstanceOf(FloeIOException.class).hasMessageContaining("fsync directory");
        Path temp = dir.resolve("a.tmp");
        Files.writeString(temp, "a");
        assertThatThrownBy(() -> DurableFiles.publish(temp, missingDir.resolve("a"))).isInstanceOf(FloeIOException.class).hasMessageContaining("rename a.tmp");
        assertThat(temp).exists();
    }
}
