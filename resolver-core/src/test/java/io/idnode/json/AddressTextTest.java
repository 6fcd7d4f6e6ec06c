package io.idnode.json;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Site server addresses as text, both ways, without name look-ups. */
class AddressTextTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 0000000000000000000000007f000001, 127.0.0.1",
        "0.0.0.0, 00000000000000000000000000000000, 0.0.0.0",
        "::1, 00000000000000000000000000000001, 0.0.0.1", // 12 zero bytes: IPv4 to a client (§5.3)
        "::, 00000000000000000000000000000000, 0.0.0.0",
        "2001:db8::1, 20010db8000000000000000000000001, 2001:db8:0:0:0:0:0:1",
        "2001:DB8:0:0:0:0:0:1, 20010db8000000000000000000000001, 2001:db8:0:0:0:0:0:1",
        "fe80::, fe800000000000000000000000000000, fe80:0:0:0:0:0:0:0",
        "::ffff:10.1.2.3, 00000000000000000000ffff0a010203, 0:0:0:0:0:ffff:a01:203",
        "1:2:3:4:5:6:1.2.3.4, 00010002000300040005000601020304, 1:2:3:4:5:6:102:304"})
    void literalsParseToTheirBytesAndPrintCanonically(String text, String bytes, String printed) {
        assertThat(AddressText.parse(text)).isEqualTo(hex(bytes));
        assertThat(AddressText.text(hex(bytes))).isEqualTo(printed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com", "localhost", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "-1.0.0.0",
        "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", ":1", "1:", "12345::", "g::", "1:2:3:4:5:6:7::8", "::1.2.3",
        "1.2.3.4::", "\u0661.2.3.4", "fe80::1%eth0", "[::1]"})
    void anythingElseIsNotAnAddress(String text) {
        assertThat(AddressText.parse(text)).isNull();
    }

    @Test
    void everyAddressPrintsToTextThatParsesBack() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            byte[] address = new byte[16];
            random.nextBytes(address);
            if (i % 2 == 0) {
                Arrays.fill(address, 0, 12 + i % 5 - 2, (byte) 0); // many IPv4 and near-IPv4 forms
            }
            assertThat(AddressText.parse(AddressText.text(address))).isEqualTo(address);
        }
    }
}
