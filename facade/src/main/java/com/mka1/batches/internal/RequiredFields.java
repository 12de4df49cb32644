package com.mka1.batches.internal;

import com.google.gson.annotations.SerializedName;
import com.mka1.batches.models.BatchObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds a required field the server left out. The generator marks each required property of the
 * spec {@code @jakarta.annotation.Nonnull}; reading those marks (once per class) keeps this check
 * in step with the spec without a hand-written list.
 */
public final class RequiredFields {
    private static final String MODELS_PACKAGE = BatchObject.class.getPackage().getName();

    /** A field to check: its JSON name and whether null is a miss, read once per class. */
    private static final class Checked {
        final Field field;
        final String jsonName;
        final boolean required;

        Checked(Field field) {
            this.field = field;
            SerializedName name = field.getAnnotation(SerializedName.class);
            this.jsonName = name == null ? field.getName() : name.value();
            this.required = field.isAnnotationPresent(jakarta.annotation.Nonnull.class);
        }
    }

    /** Per class: the fields to check; empty for anything that is not a generated model. */
    private static final ClassValue<List<Checked>> CHECKED = new ClassValue<List<Checked>>() {
        @Override
        protected List<Checked> computeValue(Class<?> type) {
            if (!isModel(type) || type.isEnum()) {
                return List.of();
            }
            List<Checked> checked = new ArrayList<>();
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                if (field.isAnnotationPresent(jakarta.annotation.Nonnull.class) || isModel(field.getType())
                        || Collection.class.isAssignableFrom(field.getType())) {
                    field.setAccessible(true);
                    checked.add(new Checked(field));
                }
            }
            return List.copyOf(checked);
        }
    };

    private RequiredFields() {
    }

    /**
     * @param value a parsed model
     * @return the JSON path of the first missing required field, or {@code null} if none is missing
     */
    public static String firstMissing(Object value) {
        // The path is built only on the way back from a miss: nothing is allocated for a complete model.
        if (value instanceof Collection) {
            int i = 0;
            for (Object item : (Collection<?>) value) {
                String missing = firstMissing(item);
                if (missing != null) {
                    return "[" + i + "]" + (missing.startsWith("[") ? "" : ".") + missing;
                }
                i++;
            }
            return null;
        }
        if (value == null) {
            return null;
        }
        for (Checked checked : CHECKED.get(value.getClass())) {
            Object fieldValue;
            try {
                fieldValue = checked.field.get(value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (fieldValue == null) {
                if (checked.required) {
                    return checked.jsonName;
                }
                continue;
            }
            String missing = firstMissing(fieldValue);
            if (missing != null) {
                return checked.jsonName + (missing.startsWith("[") ? "" : ".") + missing;
            }
        }
        return null;
    }

    private static boolean isModel(Class<?> type) {
        return type.getPackage() != null && type.getPackage().getName().equals(MODELS_PACKAGE);
    }
}
