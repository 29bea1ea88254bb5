package io.sagebrush.algorithms.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes predictions as SageMaker's first-party algorithms answer {@code Accept:
 * application/x-recordio-protobuf}: one RecordIO frame per prediction holding an {@code
 * aialgs.data.Record} whose {@code label} map has one Float32 tensor per member ({@code score},
 * {@code predicted_label}, {@code closest_cluster}, ...), which the Python SDK's {@code
 * RecordDeserializer} reads.
 */
public final class RecordIoProtobufWriter {
  private static final int MAGIC = 0xced7230a;

  private RecordIoProtobufWriter() {}

  /** The RecordIO stream of the predictions. */
  public static byte[] labelRecords(List<Map<String, Object>> predictions) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map<String, Object> p : predictions) {
      ByteArrayOutputStream record = new ByteArrayOutputStream();
      for (Map.Entry<String, Object> e : p.entrySet()) {
        ByteArrayOutputStream floats = new ByteArrayOutputStream();
        for (float v : values(e.getValue())) {
          int bits = Float.floatToIntBits(v);
          for (int i = 0; i < 4; i++) {
            floats.write(bits >>> (8 * i));
          }
        }
        byte[] tensor = field(1, floats.toByteArray()); // Float32Tensor.values, packed
        byte[] value = field(2, tensor); // Value.float32_tensor
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        entry.writeBytes(field(1, e.getKey().getBytes(StandardCharsets.UTF_8)));
        entry.writeBytes(field(2, value));
        record.writeBytes(field(2, entry.toByteArray())); // Record.label map entry
      }
      byte[] data = record.toByteArray();
      writeIntLe(out, MAGIC);
      writeIntLe(out, data.length);
      out.writeBytes(data);
      for (int pad = (4 - (data.length & 3)) & 3; pad > 0; pad--) {
        out.write(0);
      }
    }
    return out.toByteArray();
  }

  private static float[] values(Object v) {
    if (v instanceof float[] f) {
      return f;
    }
    if (v instanceof double[] d) {
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    if (v instanceof Number n) {
      return new float[] {n.floatValue()};
    }
    return new float[0];
  }

  private static byte[] field(int number, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    varint(out, (number << 3) | 2);
    varint(out, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static void writeIntLe(ByteArrayOutputStream out, int v) {
    for (int i = 0; i < 4; i++) {
      out.write(v >>> (8 * i));
    }
  }
}
