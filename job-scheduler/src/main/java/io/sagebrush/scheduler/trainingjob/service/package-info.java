/** Training job use cases: create, describe, list, stop. */
package io.sagebrush.scheduler.trainingjob.service;
