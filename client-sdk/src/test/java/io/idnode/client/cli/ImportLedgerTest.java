package io.idnode.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.client.cli.ImportLedger.Failure;
import io.idnode.client.cli.ImportLedger.Result;
import io.idnode.client.cli.ImportLedger.Tally;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportLedgerTest {

    @Test
    void theResumeLineStaysAtTheFirstItemNotFinished() {
        ImportLedger ledger = new ImportLedger(ImportLedger.fresh(), 20);
        ImportLedger.Item a = ledger.begin(2, "88.100.1/A");
        ImportLedger.Item b = ledger.begin(3, "88.100.1/B");
        ImportLedger.Item c = ledger.begin(7, "88.100.1/C");
        ledger.finish(b, Result.CREATED, null);
        ledger.finish(c, Result.FAILED, "refused");
        assertThat(ledger.tally()).isEqualTo(new Tally(1, 0, 0, 0, List.of()));
        assertThat(ledger.finished()).isEqualTo(2);
        assertThat(ledger.inFlight()).isEqualTo(1);
        ledger.finish(a, Result.UNCHANGED, null);
        assertThat(ledger.tally()).isEqualTo(new Tally(8, 1, 1, 1, List.of(new Failure(7, "88.100.1/C", "refused"))));
        assertThat(ledger.inFlight()).isZero();
    }

    @Test
    void aLedgerGoesOnFromATallyAndKeepsTheFirstFailuresOnly() {
        Tally earlier = new Tally(5, 2, 0, 2, List.of(new Failure(2, null, "bad"), new Failure(3, null, "worse")));
        ImportLedger ledger = new ImportLedger(earlier, 3);
        assertThat(ledger.finished()).isEqualTo(4);
        for (long line = 5; line < 8; line++) {
            ledger.finish(ledger.begin(line, "88.100.1/" + line), Result.FAILED, "no " + line);
        }
        Tally t = ledger.tally();
        assertThat(t.failed()).isEqualTo(5);
        assertThat(t.failures()).extracting(Failure::line).containsExactly(2L, 3L, 5L);
        assertThat(t.resumeLine()).isEqualTo(8);
        assertThat(t.settled()).isEqualTo(7);
    }
}
