package io.sagebrush.scheduler.tag.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.PageToken;
import io.sagebrush.scheduler.tag.adapter.persistence.TagStore;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.transaction.support.TransactionTemplate;

/** Tags on any resource a {@link TagResolver} knows; at most 50 per resource. */
public class DefaultTagService implements TagService {
  /** Tags a resource may hold. */
  public static final int MAX_TAGS = 50;

  private final TransactionTemplate tx;
  private final TagStore store;
  private final Map<String, TagResolver> resolvers;

  public DefaultTagService(TransactionTemplate tx, TagStore store, List<TagResolver> resolvers) {
    this.tx = tx;
    this.store = store;
    this.resolvers =
        resolvers.stream()
            .collect(Collectors.toMap(TagResolver::resourceType, Function.identity()));
  }

  @Override
  public List<Tag> add(String resourceArn, List<Tag> tags) {
    return tx.execute(
        s -> {
          String arn = known(resourceArn);
          Set<String> keys = new HashSet<>(store.keys(arn));
          tags.forEach(t -> keys.add(t.key()));
          if (keys.size() > MAX_TAGS) {
            throw SagebrushException.validation(
                "Resource "
                    + resourceArn
                    + " would have "
                    + keys.size()
                    + " tags; a resource can have at most "
                    + MAX_TAGS
                    + " tags.");
          }
          store.put(arn, tags);
          return List.copyOf(tags);
        });
  }

  @Override
  public Page<Tag> list(String resourceArn, String nextToken, int maxResults) {
    int limit = maxResults <= 0 ? MAX_TAGS : Math.min(maxResults, 100);
    return tx.execute(
        s -> {
          String arn = known(resourceArn);
          OptionalLong offset = PageToken.decode(nextToken, "tags|" + arn);
          if (offset.isEmpty()) {
            throw SagebrushException.validation("The NextToken is not valid for this request.");
          }
          List<Tag> rows = store.list(arn, offset.getAsLong(), limit + 1);
          String token =
              rows.size() > limit
                  ? PageToken.encode(offset.getAsLong() + limit, "tags|" + arn)
                  : null;
          return new Page<>(List.copyOf(rows.subList(0, Math.min(limit, rows.size()))), token);
        });
  }

  @Override
  public void delete(String resourceArn, List<String> keys) {
    tx.executeWithoutResult(s -> store.delete(known(resourceArn), keys));
  }

  /** Tags given at creation, in the creator's transaction (the resource is not visible yet). */
  public void putAtCreation(String arn, List<Tag> tags) {
    if (tags.size() > MAX_TAGS) {
      throw SagebrushException.validation(
          "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must"
              + " have length less than or equal to "
              + MAX_TAGS);
    }
    store.put(arn, tags);
  }

  private String known(String resourceArn) {
    String arn = resourceArn == null ? "" : resourceArn;
    return Arns.parse(arn)
        .filter(p -> resolvers.containsKey(p.resourceType()))
        .map(
            p ->
                arn.substring(0, arn.length() - p.name().length())
                    + p.name().toLowerCase(java.util.Locale.ROOT))
        .filter(a -> resolvers.get(Arns.parse(a).orElseThrow().resourceType()).exists(a))
        .orElseThrow(
            () -> SagebrushException.validation("Resource " + resourceArn + " does not exist."));
  }
}
