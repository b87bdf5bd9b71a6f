package io.floe.kernel.bucket;

import io.floe.changelog.ChangelogOptions;
import io.floe.changelog.UncommittedPolicy;
import io.floe.kernel.options.RecoveryPolicy;
import java.util.Objects;

/**
 * How a store opens its buckets: the changelog options every bucket's changelog starts from (its
 * directory is set per bucket) and what happens to uncommitted writes. Immutable.
 *
 * @param changelogTemplate the changelog options, with the uncommitted policy the recovery policy implies
 * @param policy            what opening does with uncommitted writes
 */
public record RecoverySettings(ChangelogOptions changelogTemplate, RecoveryPolicy policy) {
    public RecoverySettings {
        Objects.requireNonNull(policy, "policy");
        changelogTemplate = changelogTemplate.withUncommitted(
                policy == RecoveryPolicy.ABORT_UNCOMMITTED ? UncommittedPolicy.ABORT : UncommittedPolicy.KEEP);
    }

    /** Returns iff no SST may hold an uncommitted write (uncommitted writes can still be aborted). */
    public boolean abortMode() {
        return policy != RecoveryPolicy.KEEP_UNCOMMITTED;
    }
}
