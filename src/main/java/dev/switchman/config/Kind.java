package dev.switchman.config;

/** A config section that names a kind by {@code type}, with the settings that kind read and validated itself. */
public record Kind(String section, String type, KindSettings settings) {

    /** The settings as the kind's own record; a config of another kind is bad input naming the section. */
    public <S extends KindSettings> S settings(Class<S> expected) {
        if (!expected.isInstance(settings)) {
            throw new ConfigException(section + ".type is '" + type + "', which has no " + expected.getSimpleName());
        }
        return expected.cast(settings);
    }
}
