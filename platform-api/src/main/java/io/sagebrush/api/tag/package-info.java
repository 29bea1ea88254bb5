/** SageMaker AddTags, ListTags and DeleteTags on the wire. */
package io.sagebrush.api.tag;
