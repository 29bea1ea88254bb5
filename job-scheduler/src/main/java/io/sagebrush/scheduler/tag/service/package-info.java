/** Tags on SageMaker resources. */
package io.sagebrush.scheduler.tag.service;
