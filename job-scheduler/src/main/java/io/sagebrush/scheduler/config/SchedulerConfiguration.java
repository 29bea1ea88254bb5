package io.sagebrush.scheduler.config;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.protocol.StorageSettings;
import io.sagebrush.scheduler.agent.adapter.persistence.AgentStore;
import io.sagebrush.scheduler.agent.service.AgentCoordinator;
import io.sagebrush.scheduler.agent.service.AgentLivenessMonitor;
import io.sagebrush.scheduler.agent.service.AgentSignals;
import io.sagebrush.scheduler.agent.service.DefaultAgentCoordinator;
import io.sagebrush.scheduler.cloudwatch.service.AlarmEvaluationLoop;
import io.sagebrush.scheduler.cloudwatch.service.CloudWatchService;
import io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore;
import io.sagebrush.scheduler.endpoint.domain.FleetDecider;
import io.sagebrush.scheduler.endpoint.domain.FleetSettings;
import io.sagebrush.scheduler.endpoint.service.DefaultEndpointService;
import io.sagebrush.scheduler.endpoint.service.DefaultRoutingTableService;
import io.sagebrush.scheduler.endpoint.service.EndpointService;
import io.sagebrush.scheduler.endpoint.service.EndpointTagResolver;
import io.sagebrush.scheduler.endpoint.service.FleetReconciler;
import io.sagebrush.scheduler.endpoint.service.RoutingTableService;
import io.sagebrush.scheduler.leader.LeaderElection;
import io.sagebrush.scheduler.leader.SchedulerLoops;
import io.sagebrush.scheduler.leader.Signal;
import io.sagebrush.scheduler.logs.adapter.persistence.PostgresLogStore;
import io.sagebrush.scheduler.logs.service.LogStore;
import io.sagebrush.scheduler.model.adapter.persistence.EndpointConfigStore;
import io.sagebrush.scheduler.model.adapter.persistence.ModelStore;
import io.sagebrush.scheduler.model.service.DefaultEndpointConfigService;
import io.sagebrush.scheduler.model.service.DefaultModelService;
import io.sagebrush.scheduler.model.service.EndpointConfigService;
import io.sagebrush.scheduler.model.service.EndpointConfigTagResolver;
import io.sagebrush.scheduler.model.service.ModelService;
import io.sagebrush.scheduler.model.service.ModelTagResolver;
import io.sagebrush.scheduler.placement.domain.InstanceCatalogue;
import io.sagebrush.scheduler.placement.domain.InstanceType;
import io.sagebrush.scheduler.placement.domain.Placement;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.tag.adapter.persistence.TagStore;
import io.sagebrush.scheduler.tag.service.DefaultTagService;
import io.sagebrush.scheduler.tag.service.TagResolver;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobRepository;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore;
import io.sagebrush.scheduler.trainingjob.domain.Deadlines;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobDecider;
import io.sagebrush.scheduler.trainingjob.service.DeadlineReconciler;
import io.sagebrush.scheduler.trainingjob.service.DefaultTrainingJobService;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobService;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobTagResolver;
import jakarta.persistence.EntityManagerFactory;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the scheduler. Needs from the application: a PostgreSQL {@link DataSource} with Flyway
 * running {@code classpath:db/migration/scheduler}, JPA scanning {@code io.sagebrush.scheduler}
 * entities and repositories, and beans {@link Clock}, {@link Arns} and {@link StorageSettings}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  PlacementProperties.class,
  TrainingProperties.class,
  DeadlineProperties.class,
  AgentProperties.class,
  InstanceTypeProperties.class,
  LoopProperties.class,
  EndpointProperties.class
})
public class SchedulerConfiguration {

  /**
   * The scheduler's services run their own transactions; the template is not a bean so the
   * application keeps Spring Boot's own TransactionTemplate.
   */
  private static TransactionTemplate tx(PlatformTransactionManager txManager) {
    return new TransactionTemplate(txManager);
  }

  @Bean
  InstanceCatalogue instanceCatalogue(InstanceTypeProperties props) {
    Map<String, InstanceType> extra = new LinkedHashMap<>();
    props
        .extra()
        .forEach(
            (name, e) ->
                extra.put(name, new InstanceType(name, e.vcpus(), e.memoryMb(), e.gpus())));
    return InstanceCatalogue.withDefaults(extra);
  }

  @Bean
  Placement placement(PlacementProperties props) {
    return new Placement(props.cpuOvercommit(), props.memoryOvercommit());
  }

  @Bean
  TrainingJobDecider trainingJobDecider(DeadlineProperties d, TrainingProperties training) {
    return new TrainingJobDecider(
        new Deadlines(
            d.placedNotAcknowledged(),
            d.maxPlacementAttempts(),
            d.preparing(),
            d.uploading(),
            training.stopGrace().plus(d.stoppingMargin()),
            d.maxRuntimeSlack()));
  }

  @Bean
  TrainingJobStore trainingJobStore(
      EntityManagerFactory emf, TrainingJobRepository repository, JdbcTemplate jdbc) {
    return new TrainingJobStore(
        SharedEntityManagerCreator.createSharedEntityManager(emf), repository, jdbc);
  }

  @Bean
  AgentStore agentStore(JdbcTemplate jdbc) {
    return new AgentStore(jdbc);
  }

  @Bean
  TagStore tagStore(JdbcTemplate jdbc) {
    return new TagStore(jdbc);
  }

  @Bean
  AgentSignals agentSignals() {
    return new AgentSignals();
  }

  @Bean
  LogStore logStore(JdbcTemplate jdbc, PlatformTransactionManager txManager, Clock clock) {
    return new PostgresLogStore(jdbc, tx(txManager), clock);
  }

  @Bean
  Placer placer(
      PlatformTransactionManager txManager,
      TrainingJobStore jobs,
      AgentStore agents,
      LogStore logs,
      InstanceCatalogue catalogue,
      Placement placement,
      Arns arns,
      Clock clock,
      AgentSignals signals,
      TrainingProperties training,
      PlacementProperties props) {
    return new Placer(
        tx(txManager),
        jobs,
        agents,
        logs,
        catalogue,
        placement,
        arns,
        clock,
        signals,
        training.stopGrace(),
        props.batchSize());
  }

  @Bean
  TrainingJobTagResolver trainingJobTagResolver(
      PlatformTransactionManager txManager, TrainingJobStore store) {
    return new TrainingJobTagResolver(tx(txManager), store);
  }

  @Bean
  ModelStore modelStore(JdbcTemplate jdbc) {
    return new ModelStore(jdbc);
  }

  @Bean
  ModelTagResolver modelTagResolver(PlatformTransactionManager txManager, ModelStore store) {
    return new ModelTagResolver(tx(txManager), store);
  }

  @Bean
  ModelService modelService(
      PlatformTransactionManager txManager,
      ModelStore store,
      DefaultTagService tags,
      Arns arns,
      Clock clock) {
    return new DefaultModelService(tx(txManager), store, tags, arns, clock);
  }

  @Bean
  EndpointConfigStore endpointConfigStore(JdbcTemplate jdbc) {
    return new EndpointConfigStore(jdbc);
  }

  @Bean
  EndpointConfigTagResolver endpointConfigTagResolver(
      PlatformTransactionManager txManager, EndpointConfigStore store) {
    return new EndpointConfigTagResolver(tx(txManager), store);
  }

  @Bean
  EndpointConfigService endpointConfigService(
      PlatformTransactionManager txManager,
      EndpointConfigStore store,
      ModelStore models,
      DefaultTagService tags,
      InstanceCatalogue catalogue,
      Arns arns,
      Clock clock) {
    return new DefaultEndpointConfigService(
        tx(txManager), store, models, tags, catalogue, arns, clock);
  }

  @Bean
  DefaultTagService tagService(
      PlatformTransactionManager txManager, TagStore store, ObjectProvider<TagResolver> resolvers) {
    return new DefaultTagService(tx(txManager), store, resolvers.orderedStream().toList());
  }

  @Bean
  TrainingJobService trainingJobService(
      PlatformTransactionManager txManager,
      TrainingJobStore store,
      AgentStore agents,
      DefaultTagService tags,
      InstanceCatalogue catalogue,
      Arns arns,
      Clock clock,
      Placer placer,
      AgentSignals signals) {
    return new DefaultTrainingJobService(
        tx(txManager), store, agents, tags, catalogue, arns, clock, placer, signals);
  }

  /** Fired after a transaction that changed the routing table commits. */
  @Bean
  Signal routingTableChanged() {
    return new Signal();
  }

  @Bean
  EndpointStore endpointStore(JdbcTemplate jdbc, Signal routingTableChanged) {
    return new EndpointStore(jdbc, routingTableChanged);
  }

  @Bean
  FleetDecider fleetDecider(EndpointProperties p) {
    return new FleetDecider(
        new FleetSettings(
            p.drainDelay(),
            p.stopGrace().plus(p.stopMargin()),
            p.startupSlack(),
            p.placementTimeout(),
            p.updateTimeout(),
            p.deleteTimeout()));
  }

  @Bean
  FleetReconciler fleetReconciler(
      PlatformTransactionManager txManager,
      EndpointStore store,
      TrainingJobStore jobs,
      AgentStore agents,
      LogStore logs,
      InstanceCatalogue catalogue,
      Placement placement,
      FleetDecider decider,
      Arns arns,
      Clock clock,
      AgentSignals signals,
      EndpointProperties p,
      CloudWatchService alarms) {
    return new FleetReconciler(
        tx(txManager),
        store,
        jobs,
        agents,
        logs,
        catalogue,
        placement,
        decider,
        arns,
        clock,
        signals,
        p.stopGrace(),
        alarms);
  }

  @Bean
  EndpointService endpointService(
      PlatformTransactionManager txManager,
      EndpointStore store,
      EndpointConfigStore configs,
      ModelStore models,
      DefaultTagService tags,
      Arns arns,
      Clock clock,
      FleetReconciler reconciler,
      EndpointProperties p,
      InstanceCatalogue catalogue) {
    return new DefaultEndpointService(
        tx(txManager),
        store,
        configs,
        models,
        tags,
        arns,
        clock,
        reconciler,
        (int) p.defaultStartupTimeout().toSeconds(),
        (int) p.defaultDownloadTimeout().toSeconds(),
        catalogue);
  }

  @Bean
  RoutingTableService routingTableService(
      PlatformTransactionManager txManager,
      EndpointStore store,
      Signal routingTableChanged,
      EndpointProperties p) {
    return new DefaultRoutingTableService(
        tx(txManager), store, routingTableChanged, p.routingRecheck());
  }

  @Bean
  EndpointTagResolver endpointTagResolver(
      PlatformTransactionManager txManager, EndpointStore store) {
    return new EndpointTagResolver(tx(txManager), store);
  }

  @Bean
  AgentCoordinator agentCoordinator(
      PlatformTransactionManager txManager,
      AgentStore agents,
      TrainingJobStore jobs,
      LogStore logs,
      AgentSignals signals,
      Placer placer,
      TrainingJobDecider decider,
      Clock clock,
      StorageSettings storage,
      AgentProperties props,
      EndpointStore endpoints,
      FleetReconciler fleets) {
    return new DefaultAgentCoordinator(
        tx(txManager),
        agents,
        jobs,
        logs,
        signals,
        placer,
        decider,
        clock,
        storage,
        props.heartbeatInterval(),
        props.pollTimeout(),
        props.pollRecheck(),
        endpoints,
        fleets);
  }

  @Bean
  DeadlineReconciler deadlineReconciler(
      PlatformTransactionManager txManager,
      TrainingJobStore store,
      TrainingJobDecider decider,
      Clock clock,
      AgentSignals signals,
      Placer placer) {
    return new DeadlineReconciler(tx(txManager), store, decider, clock, signals, placer);
  }

  @Bean
  AgentLivenessMonitor agentLivenessMonitor(
      PlatformTransactionManager txManager,
      AgentStore agents,
      TrainingJobStore jobs,
      Clock clock,
      AgentProperties props,
      Placer placer,
      EndpointStore endpoints,
      FleetReconciler fleets) {
    return new AgentLivenessMonitor(
        tx(txManager), agents, jobs, clock, props.lostAfter(), placer, endpoints, fleets);
  }

  @Bean
  LeaderElection schedulerLeaderElection(DataSource dataSource, LoopProperties loops) {
    return new LeaderElection(dataSource, loops.leaderLockKey());
  }

  /** Starts the loops once the web server listens (agents can poll) and stops them before it. */
  @Bean
  SmartLifecycle schedulerLoopsLifecycle(SchedulerLoops loops) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        loops.start();
        running = true;
      }

      @Override
      public void stop() {
        loops.close();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      @Override
      public int getPhase() {
        // after the web server (Integer.MAX_VALUE - 1): agents can reach us when the loops run
        return Integer.MAX_VALUE;
      }
    };
  }

  @Bean(destroyMethod = "close")
  SchedulerLoops schedulerLoops(
      LoopProperties loops,
      LeaderElection leader,
      Placer placer,
      DeadlineReconciler reconciler,
      AgentLivenessMonitor liveness,
      PlacementProperties placement,
      DeadlineProperties deadlines,
      AgentProperties agents,
      FleetReconciler fleets,
      EndpointProperties endpoints,
      AlarmEvaluationLoop alarms,
      AlarmProperties alarmProperties) {
    return new SchedulerLoops(
            loops.enabled(),
            leader,
            placer,
            reconciler,
            liveness,
            placement.interval(),
            deadlines.reconcileInterval(),
            agents.livenessInterval(),
            fleets,
            endpoints.reconcileInterval())
        .withFixedDelayLoop(
            "sagebrush-alarms", alarmProperties.evaluationInterval(), alarms::evaluateOnce);
  }
}
