package dev.switchman.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a config or strategy file into validated records. Every mistake becomes a {@link ConfigException} that
 * names the file and the key: an unknown key lists the known ones, a key written twice gives both lines, a value of
 * the wrong type or a file that is not a mapping says what is expected. The kind sections are read into the record
 * their kind names, from the file itself, so errors there carry lines too.
 */
public final class ConfigLoader {
    private static final String CONFIG_HINT = "see README.md, 'Config reference', or run 'switchman init' for a starter file";
    // A key written twice is refused by the parser itself, so no reading (record, tree, filtered section) lets the last one win.
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            // A port or a count written 80.5 is a mistake to report, not a value to cut to 80.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new JsonDeserializer<>() {
                @Override
                public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                    if (!p.currentToken().isScalarValue()) {
                        return (Duration) ctx.handleUnexpectedToken(Duration.class, p);
                    }
                    return Durations.parse(p.getValueAsString());
                }
            })
                    .addDeserializer(StrategyConfig.Metric.class, new MetricDeserializer()))
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
    /** Finds where a duplicated key was first written: reads on past the duplicate the strict parser stops at. */
    private static final YAMLFactory LENIENT = new YAMLFactory();

    private ConfigLoader() {}

    public static LoadedConfig load(Path file, KindTypes kinds) {
        LoadedConfig loaded = loadWithoutStrategy(file, kinds);
        return new LoadedConfig(file, loaded.config(), strategy(loaded, kinds));
    }

    /** The config without its strategy ({@code strategy()} is null), for commands that need none, as tearing down. */
    public static LoadedConfig loadWithoutStrategy(Path file, KindTypes kinds) {
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
                    sections.get(ConfigFile.Section.ROUTER), sections.get(ConfigFile.Section.HEALTH), raw.strategy(),
                    raw.lint(), raw.backup(), raw.metrics(), raw.notifications());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage() + " (" + CONFIG_HINT + ")");
        }
        onePortEach(file, sections.values());
        return new LoadedConfig(file, config, null);
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
        try {
            settings = settings.relativeTo(file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage() + " (" + hint + ")");
        }
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
    private static StrategyConfig strategy(LoadedConfig loaded, KindTypes kinds) {
        String value = loaded.config().strategy();
        String hint = "a strategy file has name, steps (shift, analyse, pause, approve), bake, maxErrorRate, analysis and approveContract;"
                + " see strategies/progressive.yaml";
        if (value.matches("[a-z0-9-]+")) {
            String resource = "strategies/" + value + ".yaml";
            try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ConfigException(loaded.file() + ": strategy '" + value + "' is not a strategy shipped with"
                            + " Switchman (blue-green, progressive) nor a file path");
                }
                return parse(resource, "", new String(in.readAllBytes(), StandardCharsets.UTF_8), StrategyConfig.class, hint, kinds);
            } catch (IOException e) {
                throw new ConfigException(resource + ": cannot read: " + e.getMessage());
            }
        }
        Path file = loaded.resolve(value);
        return parse(file.toString(), "", text(file, hint), StrategyConfig.class, hint, kinds);
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
        return mapped(file, key, text, hint, () -> new FilteringParserDelegate(YAML.createParser(text),
                        new JsonPointerBasedFilter(JsonPointer.compile("/" + key)), TokenFilter.Inclusion.ONLY_INCLUDE_ALL, false),
                parser -> YAML.readValue(parser, type));
    }

    /** Reads a whole document: a config, a strategy, or a kind's defaults ({@code {}}). */
    private static <T> T parse(String file, String key, String text, Class<T> type, String hint) {
        return parse(file, key, text, type, hint, null);
    }

    /** A kind's defaults: its settings record as if its section held nothing but its type. */
    public static <T extends KindSettings> T defaults(Class<T> type) {
        return parse(type.getSimpleName(), "", "{}", type, "");
    }

    /** Reads a whole document whose lists may hold kinds (a strategy's metrics), each read by the record {@code kinds} names. */
    private static <T> T parse(String file, String key, String text, Class<T> type, String hint, KindTypes kinds) {
        return mapped(file, key, text, hint, () -> YAML.createParser(text), parser -> {
            JsonToken first = parser.nextToken();
            // A bare '---' is a document holding an empty text.
            if (first == null || first == JsonToken.VALUE_NULL || first == JsonToken.VALUE_STRING && written(parser).isBlank()) {
                throw new ConfigException(file + ": the file is empty: expected " + expected(type, parser) + " (" + hint + ")");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(file + ": expected " + expected(type, parser) + " at the top of the file, got "
                        + got(parser) + " (line " + parser.currentTokenLocation().getLineNr() + ") (" + hint + ")");
            }
            return YAML.readerFor(type).withAttribute(KindTypes.class, kinds).readValue(parser);
        });
    }

    /**
     * A strategy's metric: the keys every metric shares, and the rest read into the record its {@code type}'s kind
     * names, whose own validation names the key.
     */
    private static final class MetricDeserializer extends JsonDeserializer<StrategyConfig.Metric> {
        @Override
        public StrategyConfig.Metric deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return (StrategyConfig.Metric) ctx.handleUnexpectedToken(StrategyConfig.Metric.class, p);
            }
            ObjectNode node = p.readValueAsTree();
            KindTypes kinds = (KindTypes) ctx.getAttribute(KindTypes.class);
            JsonNode type = node.get("type");
            if (type == null || !type.isTextual()) {
                throw new IllegalArgumentException("a metric needs a type (e.g. router, prometheus, webhook, comparison)");
            }
            if (kinds == null) {
                throw new IllegalArgumentException("metrics are read with the kinds known to Switchman");
            }
            Class<? extends KindSettings> settingsType;
            try {
                settingsType = kinds.settingsType("analysis.metrics", type.asText());
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage().replace("analysis.metrics.type", "type"), e);
            }
            ObjectNode own = node.deepCopy();
            own.remove(StrategyConfig.Metric.SHARED_KEYS);
            KindSettings settings;
            try {
                settings = ctx.readTreeAsValue(own, settingsType);
            } catch (UnrecognizedPropertyException e) {
                List<Object> known = new ArrayList<>(e.getKnownPropertyIds());
                known.addAll(StrategyConfig.Metric.SHARED_KEYS);
                throw UnrecognizedPropertyException.from(p, settingsType, e.getPropertyName(), known);
            }
            return new StrategyConfig.Metric(type.asText(), duration(node, "interval"), count(node, "failureLimit"),
                    count(node, "inconclusiveLimit"), settings);
        }

        private static Duration duration(ObjectNode node, String key) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual() && !value.isNumber()) {
                throw new IllegalArgumentException(key + ": expected a duration (e.g. 500ms, 30s, 2m)");
            }
            return Durations.parse(value.asText());
        }

        private static Integer count(ObjectNode node, String key) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isIntegralNumber()) {
                throw new IllegalArgumentException(key + ": expected a whole number, got " + value);
            }
            return value.asInt();
        }
    }

    private interface Opening {
        JsonParser open() throws IOException;
    }

    private interface Reading<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** Runs a reading, its failures told as bad input; the parser stays open until then, for the text at fault. */
    private static <T> T mapped(String file, String key, String text, String hint, Opening opening, Reading<T> reading) {
        JsonParser open = null;
        String prefix = key.isEmpty() ? "" : key + ".";
        try {
            open = opening.open();
            return reading.read(open);
        } catch (UnrecognizedPropertyException e) {
            String where = path(e);
            TreeSet<String> known = e.getKnownPropertyIds().stream().map(Object::toString)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!prefix.isEmpty() && !where.contains(".") && !where.contains("[")) {
                known.add("type"); // read by the loader, not by the kind
            }
            throw new ConfigException(file + ": unknown key '" + prefix + where + "' (line " + keyLine(text, e.getPropertyName(), line(e))
                    + "); known keys here: " + String.join(", ", known));
        } catch (JsonProcessingException e) {
            StreamReadException duplicate = duplicate(e);
            if (duplicate != null) {
                throw duplicateKey(file, text, duplicate);
            }
            if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                    && mismatch.getProcessor() instanceof JsonParser parser && parser.currentToken() != null) {
                String where = path(mismatch);
                where = where.isEmpty() ? prefix.replaceFirst("\\.$", "") : prefix + where;
                throw new ConfigException(file + ": " + where + ": expected " + expected(mismatch.getTargetType(), parser)
                        + ", got " + got(parser) + " (line " + line(e) + ") (" + hint + ")");
            }
            if (e instanceof JsonMappingException mapping) {
                throw new ConfigException(file + ": " + describe(mapping, prefix) + " (" + hint + ")");
            }
            throw new ConfigException(file + ": not valid YAML at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        } finally {
            close(open);
        }
    }

    private static void close(JsonParser parser) {
        if (parser == null) {
            return;
        }
        try {
            parser.close();
        } catch (IOException e) {
            // It reads a string in memory: there is nothing to lose.
        }
    }

    /**
     * The parser's refusal of a key written twice, if that is what failed: it comes bare, or wrapped by the record
     * that was being read. Jackson gives it no type of its own, only its message.
     */
    private static StreamReadException duplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamReadException read && read.getProcessor() instanceof JsonParser
                    && read.getOriginalMessage() != null && read.getOriginalMessage().startsWith("Duplicate field '")) {
                return read;
            }
        }
        return null;
    }

    private static ConfigException duplicateKey(String file, String text, StreamReadException e) {
        // The parser that found it reads the whole file (a section's filter sits above it): its path is the full key.
        String key = keyPath(((JsonParser) e.getProcessor()).getParsingContext());
        List<Integer> lines = keyLines(text, key);
        int second = lines.size() >= 2 ? lines.get(1) : e.getLocation().getLineNr();
        String first = lines.isEmpty() ? "" : " (first at line " + lines.getFirst() + ")";
        return new ConfigException(file + ": duplicate key '" + key + "' at line " + second + first
                + ": remove one of them; a key may be written once in each mapping");
    }

    /** The lines where the key at {@code path} is written, in order. */
    private static List<Integer> keyLines(String text, String path) {
        List<Integer> lines = new ArrayList<>();
        try (JsonParser parser = LENIENT.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && keyPath(parser.getParsingContext()).equals(path)) {
                    lines.add(parser.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            // Past the duplicate the file is not valid YAML: the lines found so far are all there is to say.
        }
        return lines;
    }

    /** A key as messages write it: {@code platform.ports.blue}, {@code steps[1].weight}. */
    private static String keyPath(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        String parent = keyPath(context.getParent());
        if (context.inArray()) {
            return parent + "[" + context.getCurrentIndex() + "]";
        }
        return parent.isEmpty() ? context.getCurrentName() : parent + "." + context.getCurrentName();
    }

    /** What a key of {@code type} takes, as a user writes it. */
    /** A record component's key in the file: its name, or the one its {@code @JsonProperty} gives. */
    private static String key(java.lang.reflect.RecordComponent component) {
        JsonProperty named = component.getAccessor().getAnnotation(JsonProperty.class);
        JsonProperty onField = named != null ? named : component.getAnnotation(JsonProperty.class);
        return onField != null && !onField.value().isEmpty() ? onField.value() : component.getName();
    }

    private static String expected(Class<?> type, JsonParser parser) {
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a text";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration (e.g. 500ms, 30s, 2m)";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            // A text where a list belongs is nearly always a command line written as one string: show it as a list.
            if (parser.currentToken() == JsonToken.VALUE_STRING && !written(parser).isBlank()) {
                String items = Arrays.stream(written(parser).strip().split("\\s+"))
                        .map(item -> "\"" + item.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                        .collect(Collectors.joining(", "));
                return "a list (e.g. [" + items + "])";
            }
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping (one 'key: value' each)";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a mapping (the section's keys, indented under it)";
        }
        if (type.isRecord()) {
            return "a mapping (keys: " + Arrays.stream(type.getRecordComponents()).map(ConfigLoader::key)
                    .collect(Collectors.joining(", ")) + ")";
        }
        return "a " + type.getSimpleName();
    }

    /** What was written where the parser stands, as a user would call it. */
    private static String got(JsonParser parser) {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "a list";
            case START_OBJECT, FIELD_NAME -> "a mapping";
            case VALUE_STRING -> "a text ('" + written(parser) + "')";
            case VALUE_NUMBER_INT -> "a whole number (" + written(parser) + ")";
            case VALUE_NUMBER_FLOAT -> "a number (" + written(parser) + ")";
            case VALUE_NULL -> "nothing";
            default -> written(parser);
        };
    }

    /** The current token's text; a message about bad input never fails for want of it. */
    private static String written(JsonParser parser) {
        try {
            return parser.getText();
        } catch (IOException e) {
            return "";
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
