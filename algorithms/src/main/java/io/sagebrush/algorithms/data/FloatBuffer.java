package io.sagebrush.algorithms.data;

import java.util.Arrays;

/** A growable float array. */
final class FloatBuffer {
  private float[] data = new float[1024];
  private int size;

  void add(float v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[size++] = v;
  }

  void addAll(FloatBuffer other) {
    if (size + other.size > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, size + other.size));
    }
    System.arraycopy(other.data, 0, data, size, other.size);
    size += other.size;
  }

  int size() {
    return size;
  }

  float[] toArray() {
    return Arrays.copyOf(data, size);
  }
}
