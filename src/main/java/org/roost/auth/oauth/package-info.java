/**
 * OAuth 2.0 bearer tokens for OAUTHBEARER and XOAUTH2: JWTs verified locally against the identity provider's JWKS
 * (Nimbus JOSE+JWT) or any token asked by RFC 7662 introspection, with the same claim checks either way.
 */
package org.roost.auth.oauth;
