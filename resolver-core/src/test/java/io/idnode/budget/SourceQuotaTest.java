package io.idnode.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Quotas in all and per source: neither can be passed, refusals are counted by bound, releases give back. */
class SourceQuotaTest {

    @Test
    void oneSourceStopsAtItsQuotaWhileOthersGoOn() {
        SourceQuota quota = new SourceQuota(10, 2);

        assertThat(quota.tryAcquire("a")).isTrue();
        assertThat(quota.tryAcquire("a")).isTrue();
        assertThat(quota.tryAcquire("a")).isFalse();
        assertThat(quota.tryAcquire("b")).isTrue();

        assertThat(quota.held("a")).isEqualTo(2);
        assertThat(quota.total()).isEqualTo(3);
        assertThat(quota.refusedPerSource()).isEqualTo(1);
        assertThat(quota.refusedTotal()).isZero();
    }

    @Test
    void theQuotaInAllHoldsAcrossSources() {
        SourceQuota quota = new SourceQuota(3, 2);
        quota.tryAcquire("a");
        quota.tryAcquire("b");
        quota.tryAcquire("c");

        assertThat(quota.tryAcquire("d")).isFalse();

        assertThat(quota.total()).isEqualTo(3);
        assertThat(quota.held("d")).isZero();
        assertThat(quota.refusedTotal()).isEqualTo(1);
        assertThat(quota.refusedPerSource()).isZero();
    }

    @Test
    void releasesGiveThePlacesBack() {
        SourceQuota quota = new SourceQuota(2, 1);
        quota.tryAcquire("a");
        quota.tryAcquire("b");

        quota.release("a");

        assertThat(quota.held("a")).isZero();
        assertThat(quota.total()).isEqualTo(1);
        assertThat(quota.tryAcquire("a")).isTrue();
        assertThatThrownBy(() -> quota.release("c")).isInstanceOf(IllegalStateException.class);
        assertThat(quota.total()).isEqualTo(2);
    }
}
