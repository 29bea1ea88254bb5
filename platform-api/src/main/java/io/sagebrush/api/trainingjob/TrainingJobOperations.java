package io.sagebrush.api.trainingjob;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebrush.api.awsjson.AwsOperation;
import io.sagebrush.api.awsjson.AwsOperationProvider;
import io.sagebrush.api.trainingjob.TrainingJobWire.CreateTrainingJobRequest;
import io.sagebrush.api.trainingjob.TrainingJobWire.CreateTrainingJobResponse;
import io.sagebrush.api.trainingjob.TrainingJobWire.ListTrainingJobsRequest;
import io.sagebrush.api.trainingjob.TrainingJobWire.ListTrainingJobsResponse;
import io.sagebrush.api.trainingjob.TrainingJobWire.TrainingJobNameRequest;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobView;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobService;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs, StopTrainingJob and DeleteTrainingJob;
 * also used by the REST edge so both answer alike.
 */
@Component
public class TrainingJobOperations implements AwsOperationProvider {
  private final TrainingJobService service;
  private final TrainingJobWireMapper mapper;

  public TrainingJobOperations(TrainingJobService service, TrainingJobWireMapper mapper) {
    this.service = service;
    this.mapper = mapper;
  }

  @Override
  public List<AwsOperation<?>> operations() {
    return List.of(
        new AwsOperation<>(
            "SageMaker.CreateTrainingJob", CreateTrainingJobRequest.class, this::create),
        AwsOperation.of(
            "SageMaker.DescribeTrainingJob",
            TrainingJobNameRequest.class,
            r -> describe(r.trainingJobName())),
        AwsOperation.of("SageMaker.ListTrainingJobs", ListTrainingJobsRequest.class, this::list),
        AwsOperation.of(
            "SageMaker.StopTrainingJob",
            TrainingJobNameRequest.class,
            r -> {
              stop(r.trainingJobName());
              return null;
            }),
        AwsOperation.of(
            "SageMaker.DeleteTrainingJob",
            TrainingJobNameRequest.class,
            r -> {
              delete(r.trainingJobName());
              return null;
            }));
  }

  /** Validates, then creates. */
  public CreateTrainingJobResponse create(CreateTrainingJobRequest request, JsonNode raw) {
    TrainingJobRequestValidator.validateCreate(request);
    TrainingJobView view = service.create(mapper.toSpec(request, raw));
    return new CreateTrainingJobResponse(view.arn());
  }

  public Map<String, Object> describe(String name) {
    TrainingJobRequestValidator.validateName("trainingJobName", name);
    return mapper.toDescribe(service.describe(name));
  }

  public ListTrainingJobsResponse list(ListTrainingJobsRequest request) {
    TrainingJobRequestValidator.validateList(request);
    Page<TrainingJobView> page = service.list(mapper.toQuery(request));
    return new ListTrainingJobsResponse(
        page.items().stream().map(mapper::toSummary).toList(), page.nextToken());
  }

  public void stop(String name) {
    TrainingJobRequestValidator.validateName("trainingJobName", name);
    service.stop(name);
  }

  public void delete(String name) {
    TrainingJobRequestValidator.validateName("trainingJobName", name);
    service.delete(name);
  }
}
