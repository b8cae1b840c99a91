/**
 * Builds the user databases of {@code auth.databases} and the token service from the configuration; the only
 * place that knows every kind of database, so that {@code org.roost.auth} needs none of its subpackages.
 */
package org.roost.auth.setup;
