package io.floe.common.error;

/**
 * An option, argument or configuration value is out of range or of the wrong kind. The message
 * names the option, the value given and what is allowed.
 */
public class InvalidOptionException extends FloeException {
    private static final long serialVersionUID = 1L;

    private final String option;

    public InvalidOptionException(String option, Object value, String allowed) {
        super("invalid value for '" + option + "': " + value + " (" + allowed + ")");
        this.option = option;
    }

    /** Returns the name of the offending option. */
    public String option() {
        return option;
    }

    /** Throws {@link InvalidOptionException} if {@code !condition}. */
    public static void check(boolean condition, String option, Object value, String allowed) {
        if (!condition) {
            throw new InvalidOptionException(option, value, allowed);
        }
    }
}
