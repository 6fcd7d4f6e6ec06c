package io.idnode.server;

/**
 * A node setting refused, naming the setting and what to fix, e.g. "port must be 0..65535, was 70000". The
 * setting is named by its key in {@value NodeDefaults#RESOURCE}, which is also its command-line option.
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

    /** The key of the refused setting, e.g. {@code port}; its command-line option is {@code --port}. */
    public String setting() {
        return setting;
    }

    /** What is wrong and what would do, e.g. {@code must be 0..65535, was 70000}. */
    public String problem() {
        return problem;
    }
}
