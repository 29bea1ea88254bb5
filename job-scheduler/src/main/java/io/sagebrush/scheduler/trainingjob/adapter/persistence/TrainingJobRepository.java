package io.sagebrush.scheduler.trainingjob.adapter.persistence;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data access to {@code training_job} rows. */
public interface TrainingJobRepository extends JpaRepository<TrainingJobEntity, Long> {
  Optional<TrainingJobEntity> findByNameLower(String nameLower);

  Optional<TrainingJobEntity> findByArn(String arn);

  List<TrainingJobEntity> findByIdIn(List<Long> ids);
}
