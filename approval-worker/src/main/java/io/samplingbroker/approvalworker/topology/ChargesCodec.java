package io.samplingbroker.approvalworker.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.samplingbroker.approvalworker.decision.UsageBucket;
import io.samplingbroker.approvalworker.decision.UsageCharge;

/** The charges of one request as compact bytes for a state store: a count, then kind, window, amount, key each. */
final class ChargesCodec {

    private ChargesCodec() {
    }

    static byte[] encode(List<UsageCharge> charges) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(charges.size());
            for (UsageCharge charge : charges) {
                out.writeByte(charge.bucket().kind().ordinal());
                out.writeLong(charge.bucket().windowStart());
                out.writeLong(charge.amount());
                out.writeUTF(charge.bucket().key());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<UsageCharge> decode(byte[] data) {
        List<UsageCharge> charges = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                UsageBucket.Kind kind = UsageBucket.Kind.values()[in.readByte()];
                long windowStart = in.readLong();
                long amount = in.readLong();
                charges.add(new UsageCharge(new UsageBucket(kind, in.readUTF(), windowStart), amount));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Corrupt charges in the request-charges store", e);
        }
        return charges;
    }
}
