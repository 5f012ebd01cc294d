/**
 * What several Warden servers on one database need to agree on: cache invalidations that reach
 * every server ({@link dev.warden.cluster.Invalidations}), the kind of the shared database ({@link
 * dev.warden.cluster.SharedDatabase}), and work that must run outside the caller's transaction; and
 * the housekeeping of the embedded H2 database's store ({@link dev.warden.cluster.H2Housekeeping}).
 */
package dev.warden.cluster;
