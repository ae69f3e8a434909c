package io.samplingbroker.serviceruntime;

/** A configuration file or setting is wrong; the message names the file (and line) or the key. Stops start-up. */
public final class ConfigFileException extends IllegalArgumentException {

    public ConfigFileException(String message) {
        super(message);
    }
}
