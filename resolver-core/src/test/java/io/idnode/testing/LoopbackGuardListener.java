package io.idnode.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Installs {@link LoopbackOnlySecurityManager} before any test of the session runs. */
public final class LoopbackGuardListener implements LauncherSessionListener {

    @Override
    @SuppressWarnings("removal")
    public void launcherSessionOpened(LauncherSession session) {
        if (!(System.getSecurityManager() instanceof LoopbackOnlySecurityManager)) {
            System.setSecurityManager(new LoopbackOnlySecurityManager());
        }
    }
}
