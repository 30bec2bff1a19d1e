package dev.switchman.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a config or strategy file into validated records. Every mistake becomes a {@link ConfigException} that
 * names the file and the key: an unknown key lists the known ones, a bad value says what is expected. The kind
 * sections are read into the record their kind names, from the file itself, so errors there carry lines too.
 */
public final class ConfigLoader {
    private static final String CONFIG_HINT = "see README.md, 'Config reference', or run 'switchman init' for a starter file";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new JsonDeserializer<>() {
                @Override
                public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                    return Durations.parse(p.getValueAsString());
                }
            }))
            // A kind's section also holds its 'type', which the loader has already read.
            .addHandler(new DeserializationProblemHandler() {
                @Override
                public boolean handleUnknownProperty(DeserializationContext ctx, JsonParser p, JsonDeserializer<?> deserializer,
                                                     Object beanOrClass, String property) throws IOException {
                    Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass == null ? null : beanOrClass.getClass();
                    if (property.equals("type") && type != null && KindSettings.class.isAssignableFrom(type)) {
                        p.skipChildren();
                        return true;
                    }
                    return false;
                }
            });

    private ConfigLoader() {}

    public static LoadedConfig load(Path file, KindTypes kinds) {
        String text = text(file, CONFIG_HINT);
        ConfigFile raw = parse(file.toString(), "", text, ConfigFile.class, CONFIG_HINT);
        Map<ConfigFile.Section, Kind> sections = new EnumMap<>(ConfigFile.Section.class);
        for (ConfigFile.Section section : ConfigFile.Section.values()) {
            sections.put(section, kind(file, text, section, raw.section(section), kinds));
        }
        SwitchmanConfig config;
        try {
            config = new SwitchmanConfig(raw.application(), raw.stateDir(), raw.database(), raw.changelog(),
                    sections.get(ConfigFile.Section.MIGRATOR), sections.get(ConfigFile.Section.PLATFORM),
                    sections.get(ConfigFile.Section.ROUTER), sections.get(ConfigFile.Section.HEALTH), raw.strategy());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage() + " (" + CONFIG_HINT + ")");
        }
        onePortEach(file, sections.values());
        LoadedConfig loaded = new LoadedConfig(file, config, null);
        return new LoadedConfig(file, config, strategy(loaded));
    }

    private static Kind kind(Path file, String text, ConfigFile.Section section, ObjectNode node, KindTypes kinds) {
        String type;
        try {
            type = ConfigFile.type(section, node);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
        Class<? extends KindSettings> settingsType;
        try {
            settingsType = kinds.settingsType(section.key, type);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
        String hint = "see README.md, 'Config reference', for the keys of " + section.key + ".type " + type;
        KindSettings settings = node == null
                ? parse(file.toString(), section.key, "{}", settingsType, hint)
                : parseSection(file.toString(), section.key, text, settingsType, hint);
        return new Kind(section.key, type, settings);
    }

    /** No two parts on one local port: a slot's port is never the router's, whatever their kinds. */
    private static void onePortEach(Path file, Iterable<Kind> kinds) {
        Map<Integer, String> byPort = new TreeMap<>();
        for (Kind kind : kinds) {
            for (Map.Entry<String, Integer> port : new TreeMap<>(kind.settings().localPorts()).entrySet()) {
                String other = byPort.putIfAbsent(port.getValue(), port.getKey());
                if (other != null) {
                    throw new ConfigException(file + ": port " + port.getValue() + " is both " + other + " and "
                            + port.getKey() + ": give each its own");
                }
            }
        }
    }

    /** A strategy is a file (relative to the config) or the name of one shipped with Switchman ({@code blue-green}). */
    private static StrategyConfig strategy(LoadedConfig loaded) {
        String value = loaded.config().strategy();
        String hint = "a strategy file has name, steps (weight, pause), bake and maxErrorRate; see strategies/blue-green.yaml";
        if (value.matches("[a-z0-9-]+")) {
            String resource = "strategies/" + value + ".yaml";
            try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ConfigException(loaded.file() + ": strategy '" + value + "' is not a strategy shipped with"
                            + " Switchman (blue-green, progressive) nor a file path");
                }
                return parse(resource, "", new String(in.readAllBytes(), StandardCharsets.UTF_8), StrategyConfig.class, hint);
            } catch (IOException e) {
                throw new ConfigException(resource + ": cannot read: " + e.getMessage());
            }
        }
        return read(loaded.resolve(value), StrategyConfig.class, hint);
    }

    public static <T> T read(Path file, Class<T> type, String hint) {
        return parse(file.toString(), "", text(file, hint), type, hint);
    }

    private static String text(Path file, String hint) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found (" + hint + ")");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads the section {@code key} of the document in {@code text}, keeping the file's line numbers. */
    private static <T> T parseSection(String file, String key, String text, Class<T> type, String hint) {
        return mapped(file, key, text, hint, () -> {
            try (JsonParser parser = new FilteringParserDelegate(YAML.createParser(text),
                    new JsonPointerBasedFilter(JsonPointer.compile("/" + key)), TokenFilter.Inclusion.ONLY_INCLUDE_ALL, false)) {
                return YAML.readValue(parser, type);
            }
        });
    }

    private static <T> T parse(String file, String key, String text, Class<T> type, String hint) {
        return mapped(file, key, text, hint, () -> YAML.readValue(text, type));
    }

    private interface Reading<T> {
        T read() throws IOException;
    }

    private static <T> T mapped(String file, String key, String text, String hint, Reading<T> reading) {
        String prefix = key.isEmpty() ? "" : key + ".";
        try {
            T value = reading.read();
            if (value == null) {
                throw new ConfigException(file + ": the file is empty (" + hint + ")");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String where = path(e);
            TreeSet<String> known = e.getKnownPropertyIds().stream().map(Object::toString)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!prefix.isEmpty() && !where.contains(".") && !where.contains("[")) {
                known.add("type"); // read by the loader, not by the kind
            }
            throw new ConfigException(file + ": unknown key '" + prefix + where + "' (line " + keyLine(text, e.getPropertyName(), line(e))
                    + "); known keys here: " + String.join(", ", known));
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": " + describe(e, prefix) + " (" + hint + ")");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static String describe(JsonMappingException e, String prefix) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String where = path(e);
        where = where.isEmpty() ? prefix.replaceFirst("\\.$", "") : prefix + where;
        String line = e.getLocation() == null ? "" : " (line " + line(e) + ")";
        if (root instanceof IllegalArgumentException) {
            return root.getMessage() + (where.isEmpty() ? "" : " [at '" + where + "'" + line + "]");
        }
        return "bad value at '" + where + "'" + line + ": " + e.getOriginalMessage();
    }

    /**
     * The line where {@code key} is written, when it is written as a key on one line only: a record's unknown key
     * is found once the whole object is read, when the parser is already past it.
     */
    private static int keyLine(String text, String key, int fallback) {
        Pattern written = Pattern.compile("^[\\s-]*[\"']?" + Pattern.quote(key) + "[\"']?\\s*:");
        String[] lines = text.split("\\R", -1);
        int found = 0;
        for (int i = 0; i < lines.length; i++) {
            if (written.matcher(lines[i]).find()) {
                if (found != 0) {
                    return fallback;
                }
                found = i + 1;
            }
        }
        return found == 0 ? fallback : found;
    }

    /** The line of the token at fault: the exception's own location may already be past it, at the next line. */
    private static int line(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser parser && parser.currentTokenLocation() != null
                && parser.currentTokenLocation().getLineNr() > 0) {
            return parser.currentTokenLocation().getLineNr();
        }
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
