package dev.tapeless.processor;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/** The classes of a successful compilation, loaded, and reflective calls into them. */
final class Loaded extends ClassLoader {
    private final Map<String, byte[]> classes = new HashMap<>();

    Loaded(Compilation c) {
        this(c, Loaded.class.getClassLoader());
    }

    /** With {@code parent} first: classes compiled earlier (a library) that {@code c}'s classes use. */
    Loaded(Compilation c, ClassLoader parent) {
        super(parent);
        for (JavaFileObject f : c.generatedFiles()) {
            if (f.getKind() != JavaFileObject.Kind.CLASS) continue;
            String path = f.toUri().getPath();
            String binary = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(),
                    path.length() - ".class".length()).replace('/', '.');
            try (InputStream in = f.openInputStream()) {
                classes.put(binary, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.get(name);
        if (b == null) throw new ClassNotFoundException(name);
        return defineClass(name, b, 0, b.length);
    }

    /** Calls the static method {@code name} of class {@code type} (the only one of that name). */
    Object call(String type, String name, Object... args) {
        try {
            Class<?> c = loadClass(type);
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                    m.setAccessible(true);
                    return m.invoke(null, args);
                }
            }
            throw new AssertionError("no method " + name + " in " + type);
        } catch (ReflectiveOperationException e) {
            throw rethrow(e);
        }
    }

    /** Calls the public instance method {@code name} of {@code target}. */
    static Object invoke(Object target, String name, Object... args) {
        try {
            for (Method m : target.getClass().getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                    m.setAccessible(true);
                    return m.invoke(target, args);
                }
            }
            throw new AssertionError("no method " + name + " in " + target.getClass());
        } catch (ReflectiveOperationException e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(ReflectiveOperationException e) {
        if (e instanceof InvocationTargetException t && t.getCause() instanceof RuntimeException r) return r;
        if (e instanceof InvocationTargetException t && t.getCause() instanceof Error err) throw err;
        return new IllegalStateException(e);
    }
}
