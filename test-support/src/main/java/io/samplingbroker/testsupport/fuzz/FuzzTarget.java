package io.samplingbroker.testsupport.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@code @FuzzTest} method of a module, with the directories Jazzer keeps its inputs in: the seeds and findings
 * under {@code src/test/resources/<package>/<Class>Inputs/<method>}, which the regression run replays. (The corpus a
 * fuzzing run grows is in {@code .cifuzz-corpus/<package>.<Class>/<method>} of the module, not in the repository.)
 */
public record FuzzTarget(String className, String method) {

    /** Jazzer's annotation, matched by name: test-support does not depend on Jazzer, the modules' tests do. */
    static final String FUZZ_TEST = "com.code_intelligence.jazzer.junit.FuzzTest";

    /** The fuzz tests among the compiled test classes (classes named {@code *FuzzTest} or {@code *FuzzIT}). */
    public static List<FuzzTarget> discover(Path testClasses, ClassLoader loader) {
        List<FuzzTarget> targets = new ArrayList<>();
        if (!Files.isDirectory(testClasses)) {
            return targets;
        }
        try (Stream<Path> files = Files.walk(testClasses)) {
            for (Path file : files.filter(FuzzTarget::isFuzzClass).sorted().toList()) {
                String relative = testClasses.relativize(file).toString();
                String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                Class<?> type = Class.forName(name, false, loader);
                Arrays.stream(type.getDeclaredMethods()).filter(FuzzTarget::isFuzzTest)
                        .sorted(Comparator.comparing(Method::getName))
                        .forEach(method -> targets.add(new FuzzTarget(name, method.getName())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("A compiled test class is not on the class path: " + e.getMessage(), e);
        }
        return targets;
    }

    private static boolean isFuzzClass(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith("FuzzTest.class") || name.endsWith("FuzzIT.class");
    }

    private static boolean isFuzzTest(Method method) {
        return Arrays.stream(method.getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().getName().equals(FUZZ_TEST));
    }

    /** {@code SimpleName.method}: how the report names it. */
    public String displayName() {
        return className.substring(className.lastIndexOf('.') + 1) + "." + method;
    }

    /** The seeds kept in the repository, and where a finding is written. */
    public Path inputs(Path moduleDir) {
        int dot = className.lastIndexOf('.');
        return moduleDir.resolve("src/test/resources").resolve(className.substring(0, dot).replace('.', '/'))
                .resolve(className.substring(dot + 1) + "Inputs").resolve(method);
    }
}
