package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.ValueInstantiators;
import com.fasterxml.jackson.databind.deser.std.StdValueInstantiator;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * Lets the field-based JSON codec rebuild objects whose class has no no-argument constructor and
 * no Jackson creator, the way Java serialization does: the instance is allocated without running
 * a constructor of its own class, then its fields are set from the JSON. Only classes the
 * allowlist admitted ever reach this point.
 */
final class ConstructorlessInstantiators extends ValueInstantiators.Base {

    @Override
    public ValueInstantiator findValueInstantiator(DeserializationConfig config, BeanDescription beanDesc,
                                                   ValueInstantiator defaultInstantiator) {
        Class<?> type = beanDesc.getBeanClass();
        if (defaultInstantiator.canCreateUsingDefault() || defaultInstantiator.canCreateFromObjectWith()
                || defaultInstantiator.canCreateUsingDelegate() || type.isRecord() || type.isInterface()
                || type.isEnum() || type.isArray() || Modifier.isAbstract(type.getModifiers())
                || type.getName().startsWith("java.") || !(defaultInstantiator instanceof StdValueInstantiator std)) {
            return defaultInstantiator;
        }
        Constructor<?> constructor = SerializationConstructors.forClass(type);
        return constructor == null ? defaultInstantiator : new Instantiator(std, constructor);
    }

    private static final class Instantiator extends StdValueInstantiator {

        private static final long serialVersionUID = 1L;

        private final transient Constructor<?> constructor;

        Instantiator(StdValueInstantiator base, Constructor<?> constructor) {
            super(base);
            this.constructor = constructor;
        }

        @Override
        public boolean canCreateUsingDefault() {
            return true;
        }

        @Override
        public boolean canInstantiate() {
            return true;
        }

        @Override
        public Object createUsingDefault(DeserializationContext ctxt) throws IOException {
            try {
                return constructor.newInstance();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return ctxt.handleInstantiationProblem(getValueClass(), null, e);
            }
        }
    }
}
