package io.sagebrush.api.awsjson;

import java.util.List;

/** A set of operations served on {@code POST /}; every provider bean is picked up. */
public interface AwsOperationProvider {
  List<AwsOperation<?>> operations();
}
