/** SageMaker model operations on the wire: PascalCase records, validation and mapping. */
package io.sagebrush.api.model;
