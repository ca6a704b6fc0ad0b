package io.github.redisresilience.test;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Tells the build, as a JUnit Platform session ends, which server ran and which capabilities the
 * tests ran with or were skipped without (see {@link CapabilityReport}). Registered through
 * {@code META-INF/services}.
 */
public final class CapabilityReportSessionListener implements LauncherSessionListener {

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		CapabilityReport.publish();
	}

}
