package io.github.redisresilience.test;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Creates the test hosts file as the JUnit Platform starts, before any test resolves a name.
 * <p>
 * A JVM started with {@code -Djdk.net.hosts.file} cannot resolve even {@code localhost} until that
 * file exists. Registered through {@code META-INF/services}; does nothing without the property.
 */
public final class HostsFileSessionListener implements LauncherSessionListener {

	@Override
	public void launcherSessionOpened(LauncherSession session) {
		HostsFile.get().ensureExists();
	}

}
