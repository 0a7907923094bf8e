package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.junit.jupiter.api.Test;

/**
 * Gradle and IntelliJ hand processors a wrapper around javac's environment, which
 * {@code Trees.instance} rejects; the processor finds javac's environment inside.
 */
class WrappedEnvironmentTest {

    /** Like Gradle's incremental-processing wrapper: everything delegated, javac's env in a field. */
    static final class WrappingEnvironment implements ProcessingEnvironment {
        private final ProcessingEnvironment delegate;

        WrappingEnvironment(ProcessingEnvironment delegate) {
            this.delegate = delegate;
        }

        @Override public Map<String, String> getOptions() { return delegate.getOptions(); }
        @Override public Messager getMessager() { return delegate.getMessager(); }
        @Override public Filer getFiler() { return delegate.getFiler(); }
        @Override public Elements getElementUtils() { return delegate.getElementUtils(); }
        @Override public Types getTypeUtils() { return delegate.getTypeUtils(); }
        @Override public SourceVersion getSourceVersion() { return delegate.getSourceVersion(); }
        @Override public Locale getLocale() { return delegate.getLocale(); }
    }

    /** Runs the Tapeless processor behind the wrapper, as a build tool would. */
    static final class WrappedProcessor extends AbstractProcessor {
        private final TapelessProcessor inner = new TapelessProcessor();

        @Override
        public synchronized void init(ProcessingEnvironment env) {
            super.init(env);
            inner.init(new WrappingEnvironment(env));
        }

        @Override public Set<String> getSupportedAnnotationTypes() { return inner.getSupportedAnnotationTypes(); }
        @Override public SourceVersion getSupportedSourceVersion() { return inner.getSupportedSourceVersion(); }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            return inner.process(annotations, round);
        }
    }

    @Test
    void companionsAreWrittenBehindABuildToolsWrapper() {
        Compilation c = Compiler.javac().withProcessors(new WrappedProcessor()).compile(GeneratedSourceTest.SEED);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.SeedDerivatives").isNotNull();
    }
}
