package io.idnode.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.ValueListCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueTextTest {
    private static final CryptoProviders PROVIDERS = CryptoProviders.create();
    private static final KeyFiles KEY_FILES = new KeyFiles(PROVIDERS);
    private static final HandleKeyCodec KEY_CODEC = new HandleKeyCodec(PROVIDERS);
    private static final ValueText TEXT = new ValueText(KEY_FILES, KEY_CODEC);

    @Test
    void textTypesKeepTheirTextAndShowItBack() throws InputException {
        HandleValue v = TEXT.parseSpec("2:PRODUCT_DATA={\"model\":\"P-200\",\"note\":\"a=b\"}");
        assertThat(v.index()).isEqualTo(2);
        assertThat(v.type()).isEqualTo("PRODUCT_DATA");
        assertThat(v.dataAsString()).isEqualTo("{\"model\":\"P-200\",\"note\":\"a=b\"}");
        assertThat(TEXT.show(v)).isEqualTo("{\"model\":\"P-200\",\"note\":\"a=b\"}");
    }

    @Test
    void adminPermissionsByNameOrBitsAndShownByName() throws InputException {
        HandleValue all = TEXT.value(100, "HS_ADMIN", "300:0.NA/88.100.1");
        HandleValue owner = TEXT.value(100, "hs_admin", "300:owner:88.100.1/LINE-1");
        HandleValue bits = TEXT.value(101, "HS_ADMIN", "300:000000000011:88.100.1/LINE-1");
        assertThat(TEXT.show(all)).isEqualTo("300:all:0.NA/88.100.1");
        assertThat(TEXT.show(owner)).isEqualTo("300:owner:88.100.1/LINE-1");
        assertThat(TEXT.show(bits)).isEqualTo("300:000000000011:88.100.1/LINE-1");
        assertThat(owner.type()).isEqualTo("HS_ADMIN");
    }

    @Test
    void valueListsAreReferencesSeparatedBySemicolons() throws Exception {
        HandleValue v = TEXT.value(200, "HS_VLIST", "300:88.100.1/LINE-1;301:88.100.1/LINE-2");
        assertThat(ValueListCodec.decode(v.data())).containsExactly(new ValueReference("88.100.1/LINE-1", 300),
                new ValueReference("88.100.1/LINE-2", 301));
        assertThat(TEXT.show(v)).isEqualTo("300:88.100.1/LINE-1;301:88.100.1/LINE-2");
    }

    @Test
    void publicKeysComeFromPemFilesInTheHandleEncoding(@TempDir Path dir) throws Exception {
        KeyPair pair = KEY_FILES.generateRsa(new SecureRandom());
        Path pem = dir.resolve("line1.pub.pem");
        KEY_FILES.writePublicKeyPem(pem, pair.getPublic());
        HandleValue v = TEXT.value(300, "HS_PUBKEY", pem.toString());
        assertThat(v.data()).isEqualTo(KEY_CODEC.encodePublicKey(pair.getPublic()));
        Path bin = dir.resolve("pubkey.bin");
        Files.write(bin, v.data());
        assertThat(TEXT.value(300, "HS_PUBKEY", bin.toString()).data()).isEqualTo(v.data());
        assertThat(TEXT.show(v)).startsWith("{\"format\":\"key\",\"value\":{\"kty\":\"RSA\"");
    }

    @Test
    void secretKeysAreNotPubliclyReadable() throws InputException {
        HandleValue v = TEXT.value(301, "HS_SECKEY", "s3cret");
        assertThat(v.permissions()).isEqualTo(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE);
        assertThat(v.dataAsString()).isEqualTo("s3cret");
    }

    @Test
    void malformedValuesSayWhatTheFormIs(@TempDir Path dir) {
        assertThatThrownBy(() -> TEXT.parseSpec("URL=https://e.com")).isInstanceOf(InputException.class)
                .hasMessage("a value is INDEX:TYPE=DATA such as 1:URL=https://example.com/p/1, got 'URL=https://e.com'");
        assertThatThrownBy(() -> TEXT.parseSpec("0:URL=x"))
                .hasMessage("index must be a whole number > 0, got '0' in '0:URL=x'");
        assertThatThrownBy(() -> TEXT.value(100, "HS_ADMIN", "0.NA/88.100.1")).hasMessage(
                "HS_ADMIN is INDEX:HANDLE or INDEX:PERMISSIONS:HANDLE such as 300:registrar:0.NA/88.100.1, got '0.NA/88.100.1'");
        Path missing = dir.resolve("none.pub.pem");
        assertThatThrownBy(() -> TEXT.value(300, "HS_PUBKEY", missing.toString())).hasMessage(
                "HS_PUBKEY is the path of a public-key file (as idctl keygen writes), and " + missing + " cannot be read");
    }

    @Test
    void theSpecSplitsAtTheFirstEqualsSign() throws InputException {
        List<HandleValue> v = List.of(TEXT.parseSpec("1:URL=https://e.com/p?a=1&b=2"));
        assertThat(v.get(0).dataAsString()).isEqualTo("https://e.com/p?a=1&b=2");
    }
}
