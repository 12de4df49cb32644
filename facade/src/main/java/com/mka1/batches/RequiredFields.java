package com.mka1.batches;

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
final class RequiredFields {
    private static final String MODELS_PACKAGE = BatchObject.class.getPackage().getName();

    private static final ClassValue<List<Field>> REQUIRED = new ClassValue<List<Field>>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> required = new ArrayList<>();
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                if (field.isAnnotationPresent(jakarta.annotation.Nonnull.class) || isModel(field.getType())
                        || Collection.class.isAssignableFrom(field.getType())) {
                    field.setAccessible(true);
                    required.add(field);
                }
            }
            return List.copyOf(required);
        }
    };

    private RequiredFields() {
    }

    /**
     * @param value a parsed model
     * @return the JSON path of the first missing required field, or {@code null} if none is missing
     */
    static String firstMissing(Object value) {
        return firstMissing(value, "");
    }

    private static String firstMissing(Object value, String path) {
        if (value instanceof Collection) {
            int i = 0;
            for (Object item : (Collection<?>) value) {
                String missing = firstMissing(item, path + "[" + i++ + "]");
                if (missing != null) {
                    return missing;
                }
            }
            return null;
        }
        if (value == null || !isModel(value.getClass()) || value.getClass().isEnum()) {
            return null;
        }
        for (Field field : REQUIRED.get(value.getClass())) {
            Object fieldValue;
            try {
                fieldValue = field.get(value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            String fieldPath = (path.isEmpty() ? "" : path + ".") + jsonName(field);
            if (fieldValue == null) {
                if (field.isAnnotationPresent(jakarta.annotation.Nonnull.class)) {
                    return fieldPath;
                }
                continue;
            }
            String missing = firstMissing(fieldValue, fieldPath);
            if (missing != null) {
                return missing;
            }
        }
        return null;
    }

    private static boolean isModel(Class<?> type) {
        return type.getPackage() != null && type.getPackage().getName().equals(MODELS_PACKAGE);
    }

    private static String jsonName(Field field) {
        SerializedName name = field.getAnnotation(SerializedName.class);
        return name == null ? field.getName() : name.value();
    }
}
