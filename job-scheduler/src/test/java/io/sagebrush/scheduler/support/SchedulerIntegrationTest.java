package io.sagebrush.scheduler.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A Spring context on the embedded PostgreSQL with the scheduler's loops off (tests drive them).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = SchedulerTestApplication.class,
    properties = {
      "spring.flyway.locations=classpath:db/migration/scheduler",
      "spring.jpa.hibernate.ddl-auto=validate",
      "spring.jpa.open-in-view=false",
      "sagebrush.scheduler.loops.enabled=false",
      "sagebrush.scheduler.training.stop-grace=10s",
      "sagebrush.scheduler.agents.poll-recheck=200ms"
    })
public @interface SchedulerIntegrationTest {}
