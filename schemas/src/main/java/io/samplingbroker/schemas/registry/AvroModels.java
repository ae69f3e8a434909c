package io.samplingbroker.schemas.registry;

import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.specific.SpecificData;

/**
 * The {@link SpecificData} to read or write a schema with. A generated record carries its own model with the
 * logical-type conversions it needs; a union of records (a topic with several event types) has no class of its
 * own, so it gets a model with the standard conversions.
 */
final class AvroModels {

    private static final SpecificData WITH_CONVERSIONS = new SpecificData();

    static {
        WITH_CONVERSIONS.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        WITH_CONVERSIONS.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        WITH_CONVERSIONS.addLogicalTypeConversion(new TimeConversions.DateConversion());
        WITH_CONVERSIONS.addLogicalTypeConversion(new Conversions.UUIDConversion());
        WITH_CONVERSIONS.addLogicalTypeConversion(new Conversions.DecimalConversion());
    }

    private AvroModels() {
    }

    static SpecificData forSchema(Schema schema) {
        return schema.getType() == Schema.Type.RECORD ? SpecificData.getForSchema(schema) : WITH_CONVERSIONS;
    }
}
