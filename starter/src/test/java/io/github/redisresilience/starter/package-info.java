/**
 * Tests of the starter as a user adds it: the README's dependency snippet in a fresh application.
 */
@NullMarked
package io.github.redisresilience.starter;

import org.jspecify.annotations.NullMarked;
