/**
 * The compliance console's sign-in: database-backed sessions held by an opaque cookie, sign-in with
 * the development accounts or OpenID Connect, sign-out, CSRF tokens and the security headers of
 * every {@code /console/*} response (docs/identity-and-api.md, "Console sign-in").
 */
package dev.warden.gateway.console;
