package dev.switchman.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Reads a config or strategy file into validated records. Every mistake becomes a {@link ConfigException} that
 * names the file and the key: an unknown key lists the known ones, a bad value says what is expected.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new JsonDeserializer<>() {
                @Override
                public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                    return Durations.parse(p.getValueAsString());
                }
            }));

    private ConfigLoader() {}

    public static LoadedConfig load(Path file) {
        SwitchmanConfig config = read(file, SwitchmanConfig.class,
                "see README.md, 'Config reference', or run 'switchman init' for a starter file");
        LoadedConfig loaded = new LoadedConfig(file, config, null);
        return new LoadedConfig(file, config, strategy(loaded));
    }

    /** A strategy is a file (relative to the config) or the name of one shipped with Switchman ({@code blue-green}). */
    private static StrategyConfig strategy(LoadedConfig loaded) {
        String value = loaded.config().strategy();
        String hint = "a strategy file has name, steps (weight, pause), bake and maxErrorRate; see strategies/blue-green.yaml";
        if (value.matches("[a-z0-9-]+")) {
            String resource = "strategies/" + value + ".yaml";
            try (var in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ConfigException(loaded.file() + ": strategy '" + value + "' is not a strategy shipped with"
                            + " Switchman (blue-green, progressive) nor a file path");
                }
                return parse(resource, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), StrategyConfig.class, hint);
            } catch (IOException e) {
                throw new ConfigException(resource + ": cannot read: " + e.getMessage());
            }
        }
        return read(loaded.resolve(value), StrategyConfig.class, hint);
    }

    public static <T> T read(Path file, Class<T> type, String hint) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found (" + hint + ")");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text, type, hint);
    }

    private static <T> T parse(String file, String text, Class<T> type, String hint) {
        try {
            T value = YAML.readValue(text, type);
            if (value == null) {
                throw new ConfigException(file + ": the file is empty (" + hint + ")");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            throw new ConfigException(file + ": unknown key '" + path(e) + "' (line " + e.getLocation().getLineNr()
                    + "); known keys here: " + known);
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": " + describe(e) + " (" + hint + ")");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        }
    }

    private static String describe(JsonMappingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String where = path(e);
        String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
        if (root instanceof IllegalArgumentException) {
            return root.getMessage() + (where.isEmpty() ? "" : " [at '" + where + "'" + line + "]");
        }
        return "bad value at '" + where + "'" + line + ": " + e.getOriginalMessage();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
