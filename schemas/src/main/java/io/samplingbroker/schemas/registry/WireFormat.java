package io.samplingbroker.schemas.registry;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte {@code 0}, the schema id as a 4-byte big-endian int, then the Avro binary
 * encoding of the value.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** The header of a record, checked: a malformed one throws {@link WireFormatException}. */
    public static int schemaId(String topic, byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new WireFormatException("Record on topic '" + topic + "' has " + data.length + " byte(s): too short "
                    + "for the Confluent wire format (magic byte 0 and a 4-byte schema id, then Avro)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new WireFormatException(String.format("Unknown magic byte 0x%02x in a record on topic '%s': "
                    + "expected 0x00 (Confluent wire format); the record was not written by a schema-registry "
                    + "serializer", data[0], topic));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }

    static void writeHeader(ByteBuffer target, int schemaId) {
        target.put(MAGIC_BYTE).putInt(schemaId);
    }
}
