/**
 * Tests of the alert rules and the dashboard in the repository's {@code monitoring/} folder: promtool's
 * own tests, and a real Prometheus scraping the sample while the test kit moves and freezes its cluster.
 */
@NullMarked
package io.github.redisresilience.sample.monitoring;

import org.jspecify.annotations.NullMarked;
