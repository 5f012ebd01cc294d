/**
 * What several Warden servers on one database need to agree on: cache invalidations that reach
 * every server ({@link dev.warden.cluster.Invalidations}), the kind of the shared database ({@link
 * dev.warden.cluster.SharedDatabase}), and work that must run outside the caller's transaction.
 */
package dev.warden.cluster;
