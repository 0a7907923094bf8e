package dev.tapeless.processor.frontend;

import com.sun.source.tree.Tree;
import dev.tapeless.processor.diagnostics.Message;
import java.util.Locale;

/** How messages name a construct of the source: "an if statement", "+=". */
final class TreeText {
    private TreeText() {}

    /** A construct with its article, as a message's subject: "an assert statement", "a lambda expression". */
    static String describe(Tree t) {
        return switch (t.getKind()) {
            case IF -> "an if statement";
            case FOR_LOOP, ENHANCED_FOR_LOOP -> "a for loop";
            case WHILE_LOOP -> "a while loop";
            case DO_WHILE_LOOP -> "a do-while loop";
            case SWITCH -> "a switch statement";
            case SWITCH_EXPRESSION -> "a switch expression";
            case TRY -> "a try statement";
            case THROW -> "a throw statement";
            case BREAK -> "a break statement";
            case CONTINUE -> "a continue statement";
            case YIELD -> "a yield statement";
            case ASSERT -> "an assert statement";
            case SYNCHRONIZED -> "a synchronized statement";
            case LABELED_STATEMENT -> "a labeled statement";
            case CLASS, INTERFACE, ENUM, RECORD, ANNOTATION_TYPE -> "a local class declaration";
            case NEW_CLASS -> "object creation (new)";
            case NEW_ARRAY -> "array creation";
            case LAMBDA_EXPRESSION -> "a lambda expression";
            case MEMBER_REFERENCE -> "a method reference";
            case ARRAY_ACCESS -> "array access";
            case INSTANCE_OF -> "an instanceof test";
            case ASSIGNMENT -> "an assignment inside an expression";
            case STRING_LITERAL -> "a string literal";
            case CHAR_LITERAL -> "a char literal";
            case NULL_LITERAL -> "null";
            default -> Message.a(t.getKind().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        };
    }

    /** Java's symbol for an operator: {@code <<} for {@code LEFT_SHIFT}, {@code ^=} for {@code XOR_ASSIGNMENT}. */
    static String operatorText(Tree.Kind k) {
        return switch (k) {
            case PLUS, UNARY_PLUS -> "+";
            case MINUS, UNARY_MINUS -> "-";
            case MULTIPLY -> "*";
            case DIVIDE -> "/";
            case REMAINDER -> "%";
            case LEFT_SHIFT -> "<<";
            case RIGHT_SHIFT -> ">>";
            case UNSIGNED_RIGHT_SHIFT -> ">>>";
            case AND -> "&";
            case OR -> "|";
            case XOR -> "^";
            case ASSIGNMENT -> "=";
            case PLUS_ASSIGNMENT -> "+=";
            case MINUS_ASSIGNMENT -> "-=";
            case MULTIPLY_ASSIGNMENT -> "*=";
            case DIVIDE_ASSIGNMENT -> "/=";
            case REMAINDER_ASSIGNMENT -> "%=";
            case LEFT_SHIFT_ASSIGNMENT -> "<<=";
            case RIGHT_SHIFT_ASSIGNMENT -> ">>=";
            case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> ">>>=";
            case AND_ASSIGNMENT -> "&=";
            case OR_ASSIGNMENT -> "|=";
            case XOR_ASSIGNMENT -> "^=";
            case POSTFIX_INCREMENT, PREFIX_INCREMENT -> "++";
            case POSTFIX_DECREMENT, PREFIX_DECREMENT -> "--";
            case LOGICAL_COMPLEMENT -> "!";
            case BITWISE_COMPLEMENT -> "~";
            case EQUAL_TO -> "==";
            case NOT_EQUAL_TO -> "!=";
            case CONDITIONAL_AND -> "&&";
            case CONDITIONAL_OR -> "||";
            case LESS_THAN -> "<";
            case LESS_THAN_EQUAL -> "<=";
            case GREATER_THAN -> ">";
            case GREATER_THAN_EQUAL -> ">=";
            case CONDITIONAL_EXPRESSION -> "?:";
            case INSTANCE_OF -> "instanceof";
            default -> k.name().toLowerCase(Locale.ROOT).replace('_', ' '); // not an operator
        };
    }
}
