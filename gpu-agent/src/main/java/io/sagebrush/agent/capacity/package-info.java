/** Discovery of what a worker host offers: CPU cores, memory and GPUs (through nvidia-smi). */
package io.sagebrush.agent.capacity;
