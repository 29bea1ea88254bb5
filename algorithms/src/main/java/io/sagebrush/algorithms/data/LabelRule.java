package io.sagebrush.algorithms.data;

/** What a label must be; readers check it per line so errors name the file and line. */
public interface LabelRule {
  /** True when the label is acceptable. */
  boolean accepts(float label);

  /** The expectation for error messages, e.g. {@code 0 or 1 (binary_classifier)}. */
  String expectation();

  /** A rule from a predicate and its description. */
  static LabelRule of(java.util.function.DoublePredicate test, String expectation) {
    return new LabelRule() {
      @Override
      public boolean accepts(float label) {
        return test.test(label);
      }

      @Override
      public String expectation() {
        return expectation;
      }
    };
  }
}
