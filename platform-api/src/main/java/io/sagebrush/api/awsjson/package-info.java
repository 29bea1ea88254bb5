/**
 * The AWS JSON 1.1 edge on POST /: dispatch by X-Amz-Target, the wire JSON conventions and the one
 * error table.
 */
package io.sagebrush.api.awsjson;
