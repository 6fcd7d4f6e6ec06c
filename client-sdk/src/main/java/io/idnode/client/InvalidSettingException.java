package io.idnode.client;

/**
 * A client setting refused by {@link HandleClient.Builder}, naming the setting and what to fix, e.g.
 * "requestTimeout must be positive, was PT0S". Thrown by the setter (or by {@code build()} for settings that
 * only make sense together), before anything is opened.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String problem;

    InvalidSettingException(String setting, String problem) {
        super(setting + " " + problem);
        this.setting = setting;
        this.problem = problem;
    }

    /** The name of the refused setting: the builder method that sets it, e.g. {@code requestTimeout}. */
    public String setting() {
        return setting;
    }

    /** What is wrong and what would do, e.g. {@code must be positive, was PT0S}. */
    public String problem() {
        return problem;
    }
}
