package io.samplingbroker.schemas.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON's own escapes, and every surrogate as a JSON escape (backslash, u, four hex digits): JSON text holding an
 * unpaired one (JSON can escape it) then stays ASCII there, and survives being carried as UTF-8, which cannot encode
 * it. A pair, escaped half by half, reads back as the same character.
 */
final class SurrogateEscapes extends CharacterEscapes {

    private static final int[] ASCII = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
        return ASCII;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return Character.isSurrogate((char) ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
}
