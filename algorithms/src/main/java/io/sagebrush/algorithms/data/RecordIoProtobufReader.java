package io.sagebrush.algorithms.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Reads SageMaker's {@code application/x-recordio-protobuf} as the Python SDK's {@code
 * record_set()} writes it: RecordIO frames (magic {@code 0xced7230a}, a length word whose top three
 * bits are a continuation flag, the payload, padding to 4 bytes), each payload an {@code
 * aialgs.data.Record} protobuf whose {@code features["values"]} is a Float32/Float64/Int32 tensor
 * (dense, or sparse with {@code keys} and {@code shape}) and whose optional {@code label["values"]}
 * holds the label. Errors name the file and the record number.
 */
public final class RecordIoProtobufReader {
  private static final int MAGIC = 0xced7230a;

  private final boolean labelRequired;
  private LabelRule labelRule;

  /**
   * @param labelRequired true when every record must carry a label
   */
  public RecordIoProtobufReader(boolean labelRequired) {
    this.labelRequired = labelRequired;
  }

  /** Checks every label against the rule while reading. */
  public RecordIoProtobufReader withLabelRule(LabelRule rule) {
    this.labelRule = rule;
    return this;
  }

  /**
   * Reads the files in order.
   *
   * @throws DataFormatException naming the file and record of a malformed frame or record
   */
  public Dataset read(List<NamedFile> files) {
    FloatBuffer x = new FloatBuffer();
    FloatBuffer y = new FloatBuffer();
    int cols = -1;
    int rows = 0;
    boolean labels = false;
    for (NamedFile f : files) {
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(f.path()), 1 << 16))) {
        long record = 0;
        while (true) {
          byte[] payload = nextRecord(in, f, record + 1);
          if (payload == null) {
            break;
          }
          record++;
          Parsed p = parseRecord(payload, f, record);
          if (cols < 0) {
            cols = p.features.length;
            labels = p.label != null;
          } else if (p.features.length != cols) {
            throw new DataFormatException(
                f.name(),
                0,
                "record "
                    + record
                    + " has "
                    + p.features.length
                    + " features, earlier records "
                    + cols);
          }
          if (labelRequired && p.label == null) {
            throw new DataFormatException(f.name(), 0, "record " + record + " has no label");
          }
          if (labels != (p.label != null)) {
            throw new DataFormatException(
                f.name(),
                0,
                "record "
                    + record
                    + (labels ? " has no label" : " has a label, earlier records none"));
          }
          if (p.label != null) {
            if (labelRule != null && !labelRule.accepts(p.label)) {
              throw new DataFormatException(
                  f.name(),
                  0,
                  "record " + record + " label " + p.label + " must be " + labelRule.expectation());
            }
            y.add(p.label);
          }
          for (float v : p.features) {
            x.add(v);
          }
          rows++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f.name(), e);
      }
    }
    return new Dataset(rows, Math.max(cols, 0), x.toArray(), labels ? y.toArray() : null, null);
  }

  /**
   * The feature rows of an in-memory RecordIO-protobuf body (an invocation), labels ignored.
   *
   * @param body the bytes
   * @param name what error messages call the body
   * @throws DataFormatException for a malformed frame or record
   */
  public static float[][] rows(byte[] body, String name) {
    NamedFile f = new NamedFile(name, null);
    java.util.List<float[]> rows = new java.util.ArrayList<>();
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
      long record = 0;
      while (true) {
        byte[] payload = nextRecord(in, f, record + 1);
        if (payload == null) {
          break;
        }
        record++;
        rows.add(parseRecord(payload, f, record).features);
      }
    } catch (EOFException e) {
      throw new DataFormatException(name, 0, "the last record is cut short");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows.toArray(new float[0][]);
  }

  /** The next (possibly multi-part) record's payload, or null at the end of the file. */
  private static byte[] nextRecord(DataInputStream in, NamedFile f, long record)
      throws IOException {
    java.io.ByteArrayOutputStream joined = null;
    while (true) {
      int magic;
      try {
        magic = Integer.reverseBytes(in.readInt());
      } catch (EOFException e) {
        if (joined != null) {
          throw new DataFormatException(f.name(), 0, "record " + record + " is cut short");
        }
        return null;
      }
      if (magic != MAGIC) {
        throw new DataFormatException(
            f.name(), 0, "record " + record + " does not start with the RecordIO magic number");
      }
      int word = Integer.reverseBytes(in.readInt());
      int flag = (word >>> 29) & 7;
      int length = word & ((1 << 29) - 1);
      byte[] data = new byte[length];
      in.readFully(data);
      int pad = (4 - (length & 3)) & 3;
      in.skipNBytes(pad);
      if (flag == 0) {
        return data;
      }
      if (joined == null) {
        joined = new java.io.ByteArrayOutputStream();
      }
      joined.write(data);
      if (flag == 3) {
        return joined.toByteArray();
      }
    }
  }

  private record Parsed(float[] features, Float label) {}

  private static Parsed parseRecord(byte[] data, NamedFile f, long record) {
    try {
      Proto p = new Proto(data, 0, data.length);
      float[] features = null;
      Float label = null;
      while (p.more()) {
        int tag = p.varint32();
        int field = tag >>> 3;
        if ((field == 1 || field == 2) && (tag & 7) == 2) {
          Proto entry = p.message();
          String key = null;
          float[] value = null;
          while (entry.more()) {
            int t = entry.varint32();
            if ((t >>> 3) == 1 && (t & 7) == 2) {
              key = entry.string();
            } else if ((t >>> 3) == 2 && (t & 7) == 2) {
              value = tensorOfValue(entry.message());
            } else {
              entry.skip(t);
            }
          }
          if (field == 1 && (key == null || key.equals("values"))) {
            features = value;
          } else if (field == 2
              && (key == null || key.equals("values"))
              && value != null
              && value.length > 0) {
            label = value[0];
          }
        } else {
          p.skip(tag);
        }
      }
      if (features == null) {
        throw new DataFormatException(
            f.name(), 0, "record " + record + " has no features[\"values\"] tensor");
      }
      return new Parsed(features, label);
    } catch (IndexOutOfBoundsException | IllegalStateException e) {
      throw new DataFormatException(
          f.name(), 0, "record " + record + " is not a valid protobuf Record");
    }
  }

  /**
   * Value { Float32Tensor float32_tensor = 2; Float64Tensor float64_tensor = 3; Int32Tensor
   * int32_tensor = 7; }.
   */
  private static float[] tensorOfValue(Proto value) {
    while (value.more()) {
      int t = value.varint32();
      int field = t >>> 3;
      if ((field == 2 || field == 3 || field == 7) && (t & 7) == 2) {
        return tensor(value.message(), field);
      }
      value.skip(t);
    }
    return new float[0];
  }

  private static float[] tensor(Proto t, int kind) {
    FloatBuffer values = new FloatBuffer();
    java.util.List<Long> keys = new java.util.ArrayList<>();
    java.util.List<Long> shape = new java.util.ArrayList<>();
    while (t.more()) {
      int tag = t.varint32();
      int field = tag >>> 3;
      int wire = tag & 7;
      if (field == 1) {
        if (wire == 2) {
          Proto packed = t.message();
          while (packed.more()) {
            values.add(scalar(packed, kind));
          }
        } else {
          values.add(scalar(t, kind));
        }
      } else if (field == 2 || field == 3) {
        java.util.List<Long> target = field == 2 ? keys : shape;
        if (wire == 2) {
          Proto packed = t.message();
          while (packed.more()) {
            target.add(packed.varint64());
          }
        } else {
          target.add(t.varint64());
        }
      } else {
        t.skip(tag);
      }
    }
    float[] v = values.toArray();
    if (keys.isEmpty()) {
      return v;
    }
    int dim =
        shape.isEmpty()
            ? (int) (keys.stream().mapToLong(Long::longValue).max().orElse(-1) + 1)
            : shape.get(0).intValue();
    float[] dense = new float[dim];
    for (int i = 0; i < keys.size(); i++) {
      dense[keys.get(i).intValue()] = v[i];
    }
    return dense;
  }

  private static float scalar(Proto p, int kind) {
    return switch (kind) {
      case 2 -> Float.intBitsToFloat(p.fixed32());
      case 3 -> (float) Double.longBitsToDouble(p.fixed64());
      default -> (float) (int) p.varint64();
    };
  }

  /** A minimal protobuf wire-format cursor. */
  private static final class Proto {
    private final byte[] b;
    private int pos;
    private final int end;

    Proto(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint64() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalStateException("truncated varint");
        }
        byte v = b[pos++];
        result |= (long) (v & 0x7f) << shift;
        if ((v & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalStateException("malformed varint");
    }

    int varint32() {
      return (int) varint64();
    }

    int fixed32() {
      if (pos + 4 > end) {
        throw new IllegalStateException("truncated fixed32");
      }
      int v =
          (b[pos] & 0xff)
              | (b[pos + 1] & 0xff) << 8
              | (b[pos + 2] & 0xff) << 16
              | (b[pos + 3] & 0xff) << 24;
      pos += 4;
      return v;
    }

    long fixed64() {
      long lo = fixed32() & 0xffffffffL;
      long hi = fixed32() & 0xffffffffL;
      return lo | hi << 32;
    }

    Proto message() {
      int len = varint32();
      if (len < 0 || pos + len > end) {
        throw new IllegalStateException("truncated message");
      }
      Proto p = new Proto(b, pos, pos + len);
      pos += len;
      return p;
    }

    String string() {
      Proto p = message();
      return new String(b, p.pos, p.end - p.pos, java.nio.charset.StandardCharsets.UTF_8);
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint64();
        case 1 -> fixed64();
        case 2 -> message();
        case 5 -> fixed32();
        default -> throw new IllegalStateException("unsupported wire type " + (tag & 7));
      }
    }
  }
}
