package dev.tapeless.processor.diagnostics;

import com.sun.source.util.Trees;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/** Prints diagnostics at the most precise position known: a tree, else an element. */
public final class Reporter {
    private final Messager messager;
    private final Trees trees;
    private int errors;

    public Reporter(Messager messager, Trees trees) {
        this.messager = messager;
        this.trees = trees;
    }

    public void error(CompileError e, Element fallback) {
        errors++;
        if (trees != null && e.tree() != null && e.unit() != null) {
            trees.printMessage(Diagnostic.Kind.ERROR, e.getMessage(), e.tree(), e.unit());
        } else {
            messager.printMessage(Diagnostic.Kind.ERROR, e.getMessage(), fallback);
        }
    }

    public void error(Element element, Message message, Object... args) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element);
    }

    public void error(Element element, AnnotationMirror annotation, AnnotationValue value, Message message,
            Object... args) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element, annotation, value);
    }

    public int errorCount() {
        return errors;
    }
}
