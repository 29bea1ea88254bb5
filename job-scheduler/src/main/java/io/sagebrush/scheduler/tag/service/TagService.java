package io.sagebrush.scheduler.tag.service;

import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.util.List;

/** AddTags, ListTags and DeleteTags on any SageMaker resource ARN Sagebrush knows. */
public interface TagService {
  /**
   * Adds or overwrites tags by key.
   *
   * @return the tags just added
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION for an unknown ARN or more than
   *     50 tags on the resource
   */
  List<Tag> add(String resourceArn, List<Tag> tags);

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION for an unknown ARN or token
   */
  Page<Tag> list(String resourceArn, String nextToken, int maxResults);

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION for an unknown ARN
   */
  void delete(String resourceArn, List<String> keys);
}
