/**
 * Swin's own stages: blocks of attention in shifted windows, with their relative position bias, and the patch
 * merging between its stages.
 */
package dev.mim4j.models.swin;
