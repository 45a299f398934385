package dev.vwb.grading.runner;

import java.io.File;
import java.io.FilePermission;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.AccessController;
import java.security.CodeSource;
import java.security.Permission;
import java.security.PermissionCollection;
import java.security.Permissions;
import java.security.Policy;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.PropertyPermission;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a submission's code may do inside the test JVM, by Java's stack inspection: code loaded
 * from the submission's classes folder gets only the permissions below; every other code (the
 * JDK, JUnit, the workbench, the hidden tests, this runner) gets all. Since a check fails when
 * any frame on the stack lacks the permission, the hidden tests and the workbench can do what
 * they like on their own, but nothing on behalf of the student's code: no System.exit, no
 * network, no files outside the scratch folder (not even reading), no class loaders, no
 * reflection past access checks. Threads the submission starts inherit its restrictions, and
 * their number is capped ({@link SandboxSecurityManager}).
 *
 * <p>Java 17 allows a security manager with {@code -Djava.security.manager=allow}; a JDK that no
 * longer does (24 and later) refuses {@link System#setSecurityManager}, and then only the
 * process-level limits hold (bubblewrap, the wall-time limit, the heap limit): the runner says so
 * on stderr and goes on.
 */
@SuppressWarnings("removal")
final class SandboxPolicy extends Policy {
    /**
     * Held only by trusted code. The security manager asks for it where a JDK permission will not
     * do: the application class loader grants every class on the class path "exitVM" itself,
     * whatever the policy says, and thread counts are no permission at all.
     */
    static final RuntimePermission TRUSTED = new RuntimePermission("vwb.trusted");

    private final String untrusted;
    private final Permissions student = new Permissions();
    private final Map<String, Boolean> students = new ConcurrentHashMap<>();

    private SandboxPolicy(Path untrusted, Path scratch) {
        this.untrusted = untrusted.toAbsolutePath().normalize().toString();
        String s = scratch.toAbsolutePath().normalize().toString();
        student.add(new FilePermission(s, "read"));
        student.add(new FilePermission(s + File.separator + "-", "read,write,delete"));
        student.add(new FilePermission(System.getProperty("java.home") + File.separator + "-", "read"));
        student.add(new PropertyPermission("*", "read"));
        student.add(new RuntimePermission("accessDeclaredMembers"));
        student.add(new RuntimePermission("getStackTrace"));
        student.setReadOnly();
    }

    /** Installs the policy and the security manager; a JDK without one is noted on stderr. */
    static void install(Path untrusted, Path scratch, int maxThreads) {
        Policy.setPolicy(new SandboxPolicy(untrusted, scratch));
        try {
            System.setSecurityManager(new SandboxSecurityManager(maxThreads));
        } catch (UnsupportedOperationException e) {
            System.err.println("vwb sandbox: this JDK has no security manager; only the process limits apply");
        }
    }

    @Override
    public boolean implies(ProtectionDomain domain, Permission permission) {
        return !isStudent(domain.getCodeSource()) || student.implies(permission);
    }

    @Override
    public PermissionCollection getPermissions(CodeSource source) {
        return isStudent(source) ? student : allPermissions();
    }

    private boolean isStudent(CodeSource source) {
        if (source == null || source.getLocation() == null) {
            return false;
        }
        // Every permission check of every frame comes here: the answer is kept per location.
        return students.computeIfAbsent(source.getLocation().toString(), l -> placeStudent(source));
    }

    private boolean placeStudent(CodeSource source) {
        try {
            return Path.of(source.getLocation().toURI()).toAbsolutePath().normalize().toString().startsWith(untrusted);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return true;   // a location we cannot place is not trusted
        }
    }

    private static PermissionCollection allPermissions() {
        Permissions all = new Permissions();
        all.add(new java.security.AllPermission());
        return all;
    }

    /** Whether every frame on the stack now is trusted code. */
    static boolean trustedHere() {
        try {
            AccessController.checkPermission(TRUSTED);
            return true;
        } catch (SecurityException e) {
            return false;
        }
    }
}
