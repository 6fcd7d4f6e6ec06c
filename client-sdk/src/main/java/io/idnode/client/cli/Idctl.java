package io.idnode.client.cli;

/** Placeholder. */
public final class Idctl {
    public static void main(String[] args) {
    }
}
