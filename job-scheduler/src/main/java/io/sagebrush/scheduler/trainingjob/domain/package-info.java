/**
 * Training job records and enums as the service layer exchanges them; no Spring, JPA or Jackson.
 */
package io.sagebrush.scheduler.trainingjob.domain;
