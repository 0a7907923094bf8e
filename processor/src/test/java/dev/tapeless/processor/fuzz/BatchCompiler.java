package dev.tapeless.processor.fuzz;

import dev.tapeless.processor.TapelessProcessor;
import dev.tapeless.processor.fuzz.Ast.Program;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles many programs in one javac run (each in its own package), with the processor, and
 * sorts the outcome per program: compiled (with a class loader over its class files), or a
 * finding, or rejected with a processor error.
 */
final class BatchCompiler {
    private BatchCompiler() {}

    /** What happened to one program. */
    static final class Outcome {
        final Program program;
        /** The class loader over the batch's class files, when everything compiled. */
        ClassLoader loader;
        /** Errors the processor reported on the program's own source (message texts). */
        final List<String> processorErrors = new ArrayList<>();
        /** Other javac errors on the program's own source. */
        final List<String> javacErrors = new ArrayList<>();
        /** Errors in the generated companion. */
        final List<String> companionErrors = new ArrayList<>();
        /** Errors that say "a bug in Tapeless". */
        final List<String> internalErrors = new ArrayList<>();
        boolean companionWritten;
        /** The processor threw out of javac (stack trace), for the whole batch. */
        String exception;

        Outcome(Program program) {
            this.program = program;
        }

        boolean clean() {
            return exception == null && processorErrors.isEmpty() && javacErrors.isEmpty() && companionErrors.isEmpty()
                    && internalErrors.isEmpty();
        }
    }

    /** Compiles {@code programs} together; when one fails, the rest are compiled again without it. */
    static Map<Program, Outcome> compile(List<Program> programs) {
        Map<Program, Outcome> out = new LinkedHashMap<>();
        List<Program> left = new ArrayList<>(programs);
        for (int round = 0; round < 3 && !left.isEmpty(); round++) {
            Map<Program, Outcome> got = compileOnce(left);
            List<Program> again = new ArrayList<>();
            boolean anyBad = got.values().stream().anyMatch(o -> !o.clean());
            for (Outcome o : got.values()) {
                if (o.clean() && anyBad) {
                    again.add(o.program); // no class files were written: compile again without the bad ones
                } else {
                    out.put(o.program, o);
                }
            }
            left = again;
            if (round == 1 && !left.isEmpty()) {
                // still failing together (an error javac did not attribute to a file): one at a time
                for (Program p : left) out.putAll(compileOnce(List.of(p)));
                left = List.of();
            }
        }
        return out;
    }

    /**
     * One file manager for every compilation: opening the class path's jars (ND4J's are large) is
     * most of the cost of a javac run otherwise.
     */
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();
    private static final StandardJavaFileManager FILES = JAVAC.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);

    static Map<Program, Outcome> compileOnce(List<Program> programs) {
        Map<Program, Outcome> out = new LinkedHashMap<>();
        List<JavaFileObject> files = new ArrayList<>();
        for (Program p : programs) {
            out.put(p, new Outcome(p));
            files.add(new Source(p.qualifiedName(), p.render()));
            for (String[] extra : p.extraClasses) files.add(new Source(p.pkg + "." + extra[0], extra[1]));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, Output> outputs = new LinkedHashMap<>();
        JavaFileManager memory = new ForwardingJavaFileManager<>(FILES) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                Output o = new Output(className, kind);
                outputs.put(kind + ":" + className, o);
                return o;
            }

            @Override
            public boolean isSameFile(FileObject a, FileObject b) {
                return a == b || (!(a instanceof SimpleJavaFileObject) && !(b instanceof SimpleJavaFileObject) && super.isSameFile(a, b));
            }
        };
        boolean success;
        try {
            JavaCompiler.CompilationTask task = JAVAC.getTask(null, memory, diagnostics, List.of("-Xlint:none"), null, files);
            task.setProcessors(List.of(new TimedProcessor(new TapelessProcessor())));
            success = task.call();
        } catch (Throwable t) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            for (Outcome o : out.values()) o.exception = sw.toString();
            if (programs.size() > 1) {
                // find the culprit(s): compile each alone
                Map<Program, Outcome> single = new LinkedHashMap<>();
                for (Program p : programs) single.putAll(compileOnce(List.of(p)));
                return single;
            }
            return out;
        }
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            String file = d.getSource() == null ? "" : "/" + d.getSource().toUri().getPath();
            String message = d.getMessage(Locale.ROOT);
            String where = file.substring(file.lastIndexOf('/') + 1) + ":" + d.getLineNumber() + ": ";
            Outcome owner = null;
            for (Outcome o : out.values()) {
                if (file.contains("/" + o.program.pkg.replace('.', '/') + "/")) owner = o;
            }
            if (owner == null) {
                for (Outcome o : out.values()) o.javacErrors.add("(no file: " + file + ") " + message);
                continue;
            }
            if (message.contains("a bug in Tapeless")) {
                owner.internalErrors.add(where + message);
            } else if (file.endsWith("Derivatives.java")) {
                owner.companionErrors.add(where + message);
            } else if ("compiler.err.proc.messager".equals(d.getCode())) {
                owner.processorErrors.add(where + message);
            } else {
                owner.javacErrors.add(where + message);
            }
        }
        if (!success) return out;
        Map<String, byte[]> classes = new HashMap<>();
        for (Output f : outputs.values()) {
            if (f.getKind() == JavaFileObject.Kind.CLASS) {
                classes.put(f.className, f.bytes.toByteArray());
            } else if (f.getKind() == JavaFileObject.Kind.SOURCE) {
                for (Outcome o : out.values()) if (f.className.equals(o.program.companionName())) o.companionWritten = true;
            }
        }
        ClassLoader loader = new MemoryClassLoader(classes, BatchCompiler.class.getClassLoader());
        for (Outcome o : out.values()) o.loader = loader;
        return out;
    }

    /** Nanoseconds spent in the processor's process(), over all compilations (for the report). */
    static long processorNanos;

    /** The processor, timed. */
    static final class TimedProcessor implements Processor {
        private final Processor p;

        TimedProcessor(Processor p) {
            this.p = p;
        }

        @Override
        public Set<String> getSupportedOptions() {
            return p.getSupportedOptions();
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return p.getSupportedAnnotationTypes();
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return p.getSupportedSourceVersion();
        }

        @Override
        public void init(ProcessingEnvironment env) {
            p.init(env);
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            long t = System.nanoTime();
            try {
                return p.process(annotations, round);
            } finally {
                processorNanos += System.nanoTime() - t;
            }
        }

        @Override
        public Iterable<? extends Completion> getCompletions(Element e, AnnotationMirror a, ExecutableElement m, String text) {
            return p.getCompletions(e, a, m, text);
        }
    }

    /** A source file held in memory. */
    static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("mem:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    /** A class file or generated source written by javac or the processor, held in memory. */
    static final class Output extends SimpleJavaFileObject {
        final String className;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Output(String className, JavaFileObject.Kind kind) {
            super(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind);
            this.className = className;
        }

        @Override
        public OutputStream openOutputStream() {
            bytes.reset();
            return bytes;
        }

        @Override
        public Writer openWriter() {
            return new OutputStreamWriter(openOutputStream(), StandardCharsets.UTF_8);
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public InputStream openInputStream() {
            return new ByteArrayInputStream(bytes.toByteArray());
        }
    }

    /** Loads the classes of one compilation from memory, fresh for each batch. */
    static final class MemoryClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        MemoryClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }
    }
}
