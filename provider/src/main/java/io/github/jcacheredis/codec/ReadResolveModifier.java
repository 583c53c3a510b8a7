package io.github.jcacheredis.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Honours {@code readResolve()} as Java serialization does, so singletons and canonical instances
 * (Spring's {@code NullValue.INSTANCE}, compared by identity) come back as themselves.
 */
final class ReadResolveModifier extends BeanDeserializerModifier {

    private static final long serialVersionUID = 1L;

    @Override
    public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription beanDesc,
                                                  JsonDeserializer<?> deserializer) {
        Method readResolve = findReadResolve(beanDesc.getBeanClass());
        return readResolve == null ? deserializer : new Resolving(deserializer, readResolve);
    }

    private static Method findReadResolve(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Method method = c.getDeclaredMethod("readResolve");
                if (method.getReturnType() == Object.class && !Modifier.isStatic(method.getModifiers())) {
                    method.setAccessible(true);
                    return method;
                }
            } catch (NoSuchMethodException | RuntimeException e) {
                // look further up, or give up on inaccessible classes
            }
        }
        return null;
    }

    private static final class Resolving extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        private final transient Method readResolve;

        Resolving(JsonDeserializer<?> delegate, Method readResolve) {
            super(delegate);
            this.readResolve = readResolve;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new Resolving(newDelegatee, readResolve);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return resolve(super.deserialize(p, ctxt), ctxt);
        }

        @Override
        public Object deserializeWithType(JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer)
                throws IOException {
            return resolve(super.deserializeWithType(p, ctxt, typeDeserializer), ctxt);
        }

        private Object resolve(Object value, DeserializationContext ctxt) throws IOException {
            if (value == null) {
                return null;
            }
            try {
                return readResolve.invoke(value);
            } catch (ReflectiveOperationException e) {
                return ctxt.handleInstantiationProblem(value.getClass(), value, e);
            }
        }
    }
}
