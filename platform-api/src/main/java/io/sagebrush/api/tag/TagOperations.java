package io.sagebrush.api.tag;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sagebrush.api.awsjson.AwsOperation;
import io.sagebrush.api.awsjson.AwsOperationProvider;
import io.sagebrush.api.awsjson.Violations;
import io.sagebrush.api.trainingjob.TrainingJobRequestValidator;
import io.sagebrush.api.trainingjob.TrainingJobWire;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.tag.service.TagService;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** AddTags, ListTags and DeleteTags. */
@Component
public class TagOperations implements AwsOperationProvider {
  static final Pattern RESOURCE_ARN =
      Pattern.compile("arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+");
  private final TagService tags;

  public TagOperations(TagService tags) {
    this.tags = tags;
  }

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record AddTagsRequest(String resourceArn, List<TrainingJobWire.Tag> tags) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record TagsResponse(List<TrainingJobWire.Tag> tags, String nextToken) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ListTagsRequest(String resourceArn, String nextToken, Integer maxResults) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record DeleteTagsRequest(String resourceArn, List<String> tagKeys) {}

  @Override
  public List<AwsOperation<?>> operations() {
    return List.of(
        AwsOperation.of("SageMaker.AddTags", AddTagsRequest.class, this::add),
        AwsOperation.of("SageMaker.ListTags", ListTagsRequest.class, this::list),
        AwsOperation.of("SageMaker.DeleteTags", DeleteTagsRequest.class, this::delete));
  }

  TagsResponse add(AddTagsRequest r) {
    Violations v = Violations.validation();
    arn(v, r.resourceArn());
    if (v.required("tags", r.tags())) {
      TrainingJobRequestValidator.tags(v, "tags", r.tags());
    }
    v.throwIfAny();
    List<Tag> added =
        tags.add(r.resourceArn(), r.tags().stream().map(t -> new Tag(t.key(), t.value())).toList());
    return new TagsResponse(wire(added), null);
  }

  TagsResponse list(ListTagsRequest r) {
    Violations v = Violations.validation();
    arn(v, r.resourceArn());
    // botocore refuses fewer than 50; smaller pages are accepted from other clients
    v.range("maxResults", r.maxResults(), 1, 100);
    v.throwIfAny();
    Page<Tag> page =
        tags.list(r.resourceArn(), r.nextToken(), r.maxResults() == null ? 50 : r.maxResults());
    return new TagsResponse(wire(page.items()), page.nextToken());
  }

  Object delete(DeleteTagsRequest r) {
    Violations v = Violations.validation();
    arn(v, r.resourceArn());
    if (v.required("tagKeys", r.tagKeys())) {
      v.size("tagKeys", r.tagKeys(), 1, 50);
      for (int i = 0; i < r.tagKeys().size(); i++) {
        String p = "tagKeys." + (i + 1) + ".member";
        String key = r.tagKeys().get(i);
        if (v.required(p, key)) {
          v.length(p, key, 1, 128);
          v.pattern(p, key, TrainingJobRequestValidator.TAG);
        }
      }
    }
    v.throwIfAny();
    tags.delete(r.resourceArn(), r.tagKeys());
    return null;
  }

  private static void arn(Violations v, String arn) {
    if (v.required("resourceArn", arn)) {
      v.length("resourceArn", arn, 0, 256);
      v.pattern("resourceArn", arn, RESOURCE_ARN);
    }
  }

  private static List<TrainingJobWire.Tag> wire(List<Tag> tags) {
    return tags.stream().map(t -> new TrainingJobWire.Tag(t.key(), t.value())).toList();
  }
}
