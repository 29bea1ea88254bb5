package io.sagebrush.scheduler.trainingjob.service;

import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobQuery;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobSpec;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobView;

/** The training-job operations of the SageMaker API, behind the edge. */
public interface TrainingJobService {

  /**
   * Persists a new job as InProgress/Starting and queues it.
   *
   * @throws io.sagebrush.common.error.SagebrushException RESOURCE_IN_USE for a duplicate name
   *     (case-insensitive); VALIDATION for an unknown instance type (message names
   *     resourceConfig.instanceType) or a multi-host job no registered agent can run
   */
  TrainingJobView create(TrainingJobSpec spec);

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION "Requested resource not found."
   *     for an unknown name
   */
  TrainingJobView describe(String name);

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION for a bad token
   */
  Page<TrainingJobView> list(TrainingJobQuery query);

  /**
   * Requests a stop: a queued job ends Stopped at once; a placed or running job goes Stopping and
   * ends Stopped once its agent reports. Stopping a Stopping job is a no-op.
   *
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION for an unknown name or a job
   *     that already ended
   */
  void stop(String name);

  /**
   * Deletes a job that has ended (Completed, Failed or Stopped) with its history, metrics and tags;
   * its name can be used again. Its logs and S3 artifacts stay.
   *
   * @throws io.sagebrush.common.error.SagebrushException RESOURCE_NOT_FOUND for an unknown name;
   *     RESOURCE_IN_USE for a job that has not ended, or whose agent is still finishing its task
   */
  void delete(String name);
}
