/**
 * End-to-end tests of the assembled Sagebrush server, driven only through its public APIs
 * (SageMaker JSON 1.1, CloudWatch Logs, S3) with the AWS SDK for Java v2 and the AWS CLI.
 */
package io.sagebrush.it;
