package io.sagebrush.scheduler.tag.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code resource_tag}. */
@Entity
@Table(name = "resource_tag")
public class TagEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "resource_arn")
  String resourceArn;

  @Column(name = "tag_key")
  String key;

  @Column(name = "tag_value")
  String value;

  protected TagEntity() {}
}
