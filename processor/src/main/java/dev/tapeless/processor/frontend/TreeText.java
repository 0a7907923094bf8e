package dev.tapeless.processor.frontend;

import com.sun.source.tree.Tree;
import java.util.Locale;

/** How messages name a construct of the source: "an if statement", "+=". */
final class TreeText {
    private TreeText() {}

    static String describe(Tree t) {
        String kind = t.getKind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return switch (t.getKind()) {
            case IF -> "an if statement";
            case FOR_LOOP, ENHANCED_FOR_LOOP -> "a for loop";
            case WHILE_LOOP -> "a while loop";
            case DO_WHILE_LOOP -> "a do-while loop";
            case SWITCH -> "a switch statement";
            case TRY -> "a try statement";
            case THROW -> "a throw statement";
            case NEW_CLASS -> "object creation (new)";
            case NEW_ARRAY -> "array creation";
            case LAMBDA_EXPRESSION -> "a lambda expression";
            case ARRAY_ACCESS -> "array access";
            case STRING_LITERAL -> "a string literal";
            case NULL_LITERAL -> "null";
            default -> "a " + kind;
        };
    }

    static String operatorText(Tree.Kind k) {
        return switch (k) {
            case PLUS -> "+";
            case MINUS -> "-";
            case MULTIPLY -> "*";
            case DIVIDE -> "/";
            case REMAINDER -> "%";
            case PLUS_ASSIGNMENT -> "+=";
            case MINUS_ASSIGNMENT -> "-=";
            case MULTIPLY_ASSIGNMENT -> "*=";
            case DIVIDE_ASSIGNMENT -> "/=";
            case REMAINDER_ASSIGNMENT -> "%=";
            case POSTFIX_INCREMENT, PREFIX_INCREMENT -> "++";
            case POSTFIX_DECREMENT, PREFIX_DECREMENT -> "--";
            case LOGICAL_COMPLEMENT -> "!";
            case EQUAL_TO -> "==";
            case NOT_EQUAL_TO -> "!=";
            case CONDITIONAL_AND -> "&&";
            case CONDITIONAL_OR -> "||";
            case LESS_THAN -> "<";
            case LESS_THAN_EQUAL -> "<=";
            case GREATER_THAN -> ">";
            case GREATER_THAN_EQUAL -> ">=";
            case BITWISE_COMPLEMENT -> "~";
            default -> k.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
