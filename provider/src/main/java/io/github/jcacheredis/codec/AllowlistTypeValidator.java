package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;

/** Lets Jackson resolve a polymorphic type id only when the {@link TypeAllowlist} admits it. */
final class AllowlistTypeValidator extends PolymorphicTypeValidator.Base {

    private static final long serialVersionUID = 1L;

    private final transient TypeAllowlist allowlist;

    AllowlistTypeValidator(TypeAllowlist allowlist) {
        this.allowlist = allowlist;
    }

    @Override
    public Validity validateBaseType(MapperConfig<?> config, JavaType baseType) {
        return Validity.INDETERMINATE;
    }

    @Override
    public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
        return allowlist.isAllowed(subClassName, baseType.getRawClass()) ? Validity.ALLOWED : Validity.DENIED;
    }

    @Override
    public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
        return allowlist.isAllowed(subType.getRawClass().getName(), baseType.getRawClass())
                ? Validity.ALLOWED : Validity.DENIED;
    }
}
