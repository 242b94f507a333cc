package io.midicatalog.diagnostics.internal;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Binding;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;

/**
 * Describes bound values by type and length only ({@code text(11)}, {@code bigint}, {@code array(int8)[10]},
 * {@code bytes(32)}), never by value. It applies each JDBI {@link Argument} to a recording
 * {@link PreparedStatement} proxy, so the shape is what the driver would really receive. Not API.
 */
public final class BindingShapes {
    private BindingShapes() {}

    /**
     * {@code {name=text(5), ids=array(int8)[10]}}, {@code $1=bigint} for positional ones. Binding's
     * lookup methods are marked for removal in Jdbi 3.x without a public replacement that yields the
     * Argument; when they go, this returns "?" shapes and the slow-query log still logs SQL and time.
     */
    @SuppressWarnings("removal")
    public static String describe(StatementContext context) {
        Binding binding = context.getBinding();
        if (binding == null || binding.isEmpty()) {
            return "{}";
        }
        List<String> parts = new ArrayList<>();
        for (String name : binding.getNames()) {
            parts.add(name + "=" + binding.findForName(name, context).map(a -> shape(a, context)).orElse("?"));
        }
        var parsed = context.getParsedSql();
        if (parsed != null && parsed.getParameters().isPositional()) {
            for (int i = 0; i < parsed.getParameters().getParameterCount(); i++) {
                Optional<Argument> arg = binding.findForPosition(i);
                parts.add("$" + (i + 1) + "=" + arg.map(a -> shape(a, context)).orElse("?"));
            }
        }
        return "{" + String.join(", ", parts) + "}";
    }

    /** The shape of one argument. */
    public static String shape(Argument argument, StatementContext context) {
        String[] recorded = {"?"};
        InvocationHandler arrays = (proxy, method, args) -> {
            if (method.getName().equals("getBaseTypeName")) {
                return "?";
            }
            return null;
        };
        InvocationHandler connection = (proxy, method, args) -> {
            if (method.getName().equals("createArrayOf") && args != null && args.length == 2) {
                Object[] elements = (Object[]) args[1];
                String type = String.valueOf(args[0]).toLowerCase(Locale.ROOT);
                return new ArrayShape(type + "[" + (elements == null ? 0 : elements.length) + "]", arrays).proxy();
            }
            throw new UnsupportedOperationException(method.getName());
        };
        InvocationHandler statement = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("getConnection")) {
                return Proxy.newProxyInstance(BindingShapes.class.getClassLoader(), new Class<?>[] {Connection.class},
                        connection);
            }
            if (name.startsWith("set") && args != null && args.length >= 2) {
                recorded[0] = shapeOf(name, args[1]);
            }
            return null;
        };
        PreparedStatement recorder = (PreparedStatement) Proxy.newProxyInstance(BindingShapes.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, statement);
        try {
            argument.apply(1, recorder, context);
        } catch (Exception | LinkageError e) {
            return "?";
        }
        return recorded[0];
    }

    static String shapeOf(String setter, @Nullable Object value) {
        if (setter.equals("setNull") || value == null) {
            return "null";
        }
        if (value instanceof ArrayShape.Marker marker) {
            return "array(" + marker.shape() + ")";
        }
        if (value instanceof CharSequence text) {
            return "text(" + text.length() + ")";
        }
        if (value instanceof byte[] bytes) {
            return "bytes(" + bytes.length + ")";
        }
        if (value.getClass().isArray()) {
            return value.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(value) + "]";
        }
        return switch (setter) {
            case "setLong" -> "bigint";
            case "setInt", "setShort", "setByte" -> "int";
            case "setDouble", "setFloat" -> "float";
            case "setBoolean" -> "boolean";
            default -> value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        };
    }

    /** A java.sql.Array stand-in that only knows its shape. */
    private record ArrayShape(String shape, InvocationHandler handler) {
        interface Marker {
            String shape();
        }

        Object proxy() {
            return Proxy.newProxyInstance(BindingShapes.class.getClassLoader(),
                    new Class<?>[] {java.sql.Array.class, Marker.class}, (p, method, args) -> {
                        if (method.getName().equals("shape")) {
                            return shape;
                        }
                        if (method.getName().equals("toString")) {
                            return "array(" + shape + ")";
                        }
                        return handler.invoke(p, method, args);
                    });
        }
    }
}
