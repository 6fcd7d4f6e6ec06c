package io.idnode.client.cli;

import io.idnode.client.AdminPermissions;
import io.idnode.client.HandleClient;
import io.idnode.client.HandleException;
import io.idnode.client.Values;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a node: it makes the client from the profile and the options, runs, and turns what
 * the SDK reports into an exit code and a message saying what to fix ({@link Diagnosis}).
 */
abstract class NodeCommand implements Callable<Integer> {
    /** Index of the HS_ADMIN value a record gets when it has none ({@link #withOwner}). */
    static final int OWNER_INDEX = 100;

    @Spec
    CommandSpec spec;

    @Mixin
    ProfileOptions profile;

    @Mixin
    OutputOptions output;

    /** The crypto engines of this call: key files, public keys in values. */
    final CryptoProviders providers = CryptoProviders.create();

    /** Whether this call administers (and so needs the identity and its key). */
    abstract boolean administers();

    /** Does the work with {@code client}; SDK failures may be thrown as they come. */
    abstract ExitCode run(HandleClient client, Diagnosis diagnosis) throws CommandFailure;

    @Override
    public final Integer call() throws CommandFailure {
        Diagnosis diagnosis = new Diagnosis(profile.where(), administers() ? profile.profile().identity() : null);
        try (HandleClient client = profile.connect(administers(), providers)) {
            return run(client, diagnosis).code();
        } catch (HandleException | CompletionException e) {
            throw diagnosis.of(e);
        }
    }

    /** Where results go. */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where messages for people go. */
    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The value text forms, reading key files with this call's engines. */
    final ValueText valueText() {
        return new ValueText(new KeyFiles(providers), new HandleKeyCodec(providers));
    }

    /**
     * {@code values}, plus an HS_ADMIN giving {@code owner} the rights of a record's owner
     * ({@link AdminPermissions#RECORD_OWNER}) if none of them is an HS_ADMIN, so that whoever registers a record
     * can change it later; it takes index {@value #OWNER_INDEX}, or the next free one.
     */
    static List<HandleValue> withOwner(List<HandleValue> values, ValueReference owner) {
        int index = OWNER_INDEX;
        for (HandleValue v : values) {
            if (v.hasType(ValueTypes.HS_ADMIN)) {
                return values;
            }
        }
        while (taken(values, index)) {
            index++;
        }
        List<HandleValue> all = new ArrayList<>(values.size() + 1);
        all.addAll(values);
        all.add(Values.admin(index, owner, AdminPermissions.RECORD_OWNER));
        return all;
    }

    private static boolean taken(List<HandleValue> values, int index) {
        for (HandleValue v : values) {
            if (v.index() == index) {
                return true;
            }
        }
        return false;
    }
}
