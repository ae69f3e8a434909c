package io.samplingbroker.reviewconsole;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The review console's browser modules (classpath folder {@code review-console/}) are in layers: the state store,
 * the API, formatting and DOM helpers at the bottom; the views; the controllers; {@code console-main.js} on top.
 *
 * <p>The rule: a module imports modules of lower layers only, and a module of its own layer only where
 * {@link #SAME_LAYER_IMPORTS} lists that import; the graph has no cycle (checked on its own, so that an allowed
 * same-layer import cannot close one). A lower module that must reach an upper one gets a handler that
 * {@code console-main.js} registers (a 401, a row's click, a change to the open item). Besides: only the store
 * writes to {@code state}, only the API module touches the network, views do not import the API, and index.html
 * loads {@code console-main.js} alone. Every check is also run on a small in-memory example that breaks it, so
 * that the check is shown to be able to fail.
 */
class ConsoleModuleLayersTest {

    private static final int BOTTOM = 0;
    private static final int VIEWS = 1;
    private static final int CONTROLLERS = 2;
    private static final int TOP = 3;
    private static final List<String> LAYER_NAMES = List.of("bottom", "views", "controllers", "top");

    /** Every console module and its layer; a module missing here fails the test. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            entry("console-state.js", BOTTOM),       // the store: the state and the only functions that change it
            entry("console-format.js", BOTTOM),      // pure formatting
            entry("console-dom.js", BOTTOM),         // the page's elements, createElement helpers, the announcer
            entry("console-api.js", BOTTOM),         // fetch, CSRF, the event stream
            entry("console-queue.js", VIEWS),        // the queue's rows, countdowns, selection highlight
            entry("console-overview.js", VIEWS),     // the last hour's charts
            entry("console-editor.js", VIEWS),       // the editor form and the edit it builds
            entry("console-detail.js", VIEWS),       // the open item and the decision bar
            entry("console-live.js", CONTROLLERS),   // snapshots, the event stream, merging items, the tick
            entry("console-decision.js", CONTROLLERS), // edit, approve, deny and their answers
            entry("console-keys.js", CONTROLLERS),   // keyboard, selection, opening and closing an item
            entry("console-session.js", CONTROLLERS), // sign-in, sign-out, start and teardown
            entry("console-main.js", TOP));          // wires everything; the only module index.html loads

    /** The imports allowed within one layer ("importer -> imported"); the cycle check covers them. */
    private static final Set<String> SAME_LAYER_IMPORTS = Set.of(
            "console-api.js -> console-state.js",
            "console-detail.js -> console-queue.js",
            "console-detail.js -> console-editor.js",
            "console-decision.js -> console-live.js",
            "console-keys.js -> console-live.js",
            "console-keys.js -> console-decision.js",
            "console-session.js -> console-live.js",
            "console-session.js -> console-keys.js");

    private static final String STORE = "console-state.js";
    private static final String API = "console-api.js";
    private static final String MAIN = "console-main.js";

    // ----------------------------------------------------------------------------------------------------------
    // The console's modules

    @Test
    void givenTheConsoleModules_whenListed_thenEveryModuleHasALayerAndEveryLayerEntryIsAModule() throws Exception {
        // Given
        Map<String, String> sources = consoleModules();
        // When
        List<String> violations = layerViolations(parseImports(sources), LAYERS, SAME_LAYER_IMPORTS);
        // Then
        assertThat(sources).isNotEmpty();
        assertThat(violations).as("modules without a layer").noneMatch(v -> v.contains("has no layer"));
        assertThat(LAYERS.keySet()).as("modules in the layer table").containsExactlyInAnyOrderElementsOf(sources.keySet());
    }

    @Test
    void givenTheConsoleModules_whenTheirImportsAreRead_thenNoModuleImportsAHigherLayer() throws Exception {
        // Given
        Map<String, List<Import>> imports = parseImports(consoleModules());
        // When
        List<String> violations = layerViolations(imports, LAYERS, SAME_LAYER_IMPORTS);
        // Then
        assertThat(violations).isEmpty();
        assertThat(imports.values().stream().flatMap(List::stream).map(Import::edge).collect(Collectors.toSet()))
                .as("every allowed same-layer import is one the modules make").containsAll(SAME_LAYER_IMPORTS);
    }

    @Test
    void givenTheConsoleModules_whenTheirImportsAreFollowed_thenThereIsNoCycle() throws Exception {
        // Given
        Map<String, List<Import>> imports = parseImports(consoleModules());
        // When
        Optional<List<String>> cycle = findCycle(imports);
        // Then
        assertThat(cycle).as("an import cycle").isEmpty();
    }

    @Test
    void givenTheMainModule_whenItsImportsAreFollowed_thenEveryModuleIsReached() throws Exception {
        // Given
        Map<String, List<Import>> imports = parseImports(consoleModules());
        // When
        Set<String> reached = reachableFrom(MAIN, imports);
        // Then
        assertThat(reached).containsExactlyInAnyOrderElementsOf(imports.keySet());
    }

    @Test
    void givenTheConsoleModules_whenScannedForWritesToTheState_thenOnlyTheStoreChangesIt() throws Exception {
        // Given
        Map<String, String> sources = consoleModules();
        // When
        List<String> writes = new ArrayList<>();
        sources.forEach((name, source) -> {
            if (!name.equals(STORE)) {
                writes.addAll(stateWrites(name, source));
            }
        });
        // Then
        assertThat(writes).isEmpty();
        assertThat(stateWrites(STORE, sources.get(STORE))).as("the store's own writes are found too").isNotEmpty();
    }

    @Test
    void givenTheConsoleModules_whenScannedForNetworkCalls_thenOnlyTheApiModuleMakesThemAndNoViewImportsIt()
            throws Exception {
        // Given
        Map<String, String> sources = consoleModules();
        Map<String, List<Import>> imports = parseImports(sources);
        // When
        List<String> calls = new ArrayList<>();
        sources.forEach((name, source) -> {
            if (!name.equals(API)) {
                calls.addAll(networkCalls(name, source));
            }
        });
        List<String> viewsImportingTheApi = imports.entrySet().stream()
                .filter(e -> LAYERS.get(e.getKey()) == VIEWS)
                .flatMap(e -> e.getValue().stream())
                .filter(i -> i.target().equals(API))
                .map(Import::toString)
                .toList();
        // Then
        assertThat(calls).isEmpty();
        assertThat(viewsImportingTheApi).isEmpty();
        assertThat(networkCalls(API, sources.get(API))).isNotEmpty();
    }

    @Test
    void givenThePage_whenIndexIsRead_thenItLoadsOnlyTheMainModule() throws Exception {
        // Given
        String index = Files.readString(consoleFolder().resolve("index.html"), StandardCharsets.UTF_8);
        // When
        List<String> violations = pageViolations(index, "/" + MAIN);
        // Then
        assertThat(violations).isEmpty();
    }

    // ----------------------------------------------------------------------------------------------------------
    // Negative controls: the same checks on small in-memory modules that break them

    @Test
    void givenModulesImportingEachOtherInACycle_whenChecked_thenTheCyclePathIsReported() {
        // Given
        Map<String, String> sources = Map.of(
                "a.js", "import { b } from './b.js';\nexport const a = 1;\n",
                "b.js", "import {\n  c,\n} from './c.js';\nexport const b = 2;\n",
                "c.js", "export const c = () => import('./a.js');\n",
                "d.js", "import './a.js';\n");
        // When
        Optional<List<String>> cycle = findCycle(parseImports(sources));
        // Then
        assertThat(cycle).hasValueSatisfying(path -> assertThat(String.join(" -> ", path))
                .isEqualTo("a.js -> b.js -> c.js -> a.js"));
        assertThat(findCycle(parseImports(Map.of("a.js", "import './b.js';", "b.js", "export {};")))).isEmpty();
    }

    @Test
    void givenAnUpwardAnUnlistedSameLayerAndAnUnknownImport_whenChecked_thenEachIsReported() {
        // Given
        Map<String, Integer> layers = Map.of("store.js", BOTTOM, "view.js", VIEWS, "other-view.js", VIEWS,
                "controller.js", CONTROLLERS);
        Map<String, String> sources = Map.of(
                "store.js", "export const state = {};\n",
                "view.js", "import { state } from './store.js';\nimport { act } from './controller.js';\n",
                "other-view.js", "import { render } from './view.js';\n",
                "controller.js", "import { render } from './view.js';\nimport('./stranger.js');\n",
                "stranger.js", "export {};\n");
        // When
        List<String> violations = layerViolations(parseImports(sources), layers, Set.of());
        List<String> allowed = layerViolations(parseImports(sources), layers, Set.of("other-view.js -> view.js"));
        // Then
        assertThat(violations).containsExactlyInAnyOrder(
                "view.js:2 (views) imports controller.js (controllers): a higher layer",
                "other-view.js:1 (views) imports view.js of its own layer, which SAME_LAYER_IMPORTS does not list",
                "controller.js:2 imports stranger.js, which has no layer",
                "stranger.js has no layer: add it to LAYERS");
        assertThat(allowed).noneMatch(v -> v.startsWith("other-view.js"));
    }

    @Test
    void givenImportsInEveryForm_whenParsed_thenEachIsFoundAndCommentsAndStringsAreNot() {
        // Given
        String source = """
                /* import { x } from './in-a-comment.js'; a template in a string: `${kind}/* type` */
                import { a, b as c } from './static.js';
                import {
                  d,
                  e,
                } from "./multi-line.js";
                import * as all from './namespace.js';
                import './side-effect.js';
                export { f } from './re-export.js';
                // import { g } from './line-comment.js';
                const url = 'http://www.w3.org/2000/svg'; // a "//" inside a string is no comment
                const text = `not a comment: ${kind}/* type ${'}'} import('./in-a-template.js')`;
                const lazy = () => import('./dynamic.js');
                const ok = /^[A-Za-z0-9+/]*={0,2}$/.test(data) ? 1 / 2 : 0;
                """;
        // When
        List<String> targets = parseImports(Map.of("m.js", source)).get("m.js").stream().map(Import::target).toList();
        List<String> badSpecifiers = importViolations("m.js",
                "import { x } from '/console-x.js';\nimport('./' + name);\nimport y from 'bare';\n");
        // Then
        assertThat(targets).containsExactly("static.js", "multi-line.js", "namespace.js", "side-effect.js",
                "re-export.js", "dynamic.js");
        assertThat(badSpecifiers).hasSize(3).allMatch(v -> v.startsWith("m.js:"));
    }

    @Test
    void givenAModuleThatWritesTheState_whenScanned_thenEveryWriteIsReportedAndReadsAreNot() {
        // Given
        String source = """
                state.busy = true;
                state.detail.loading = false;
                state.esFailures += 1;
                state.loadGen++;
                --state.loadGen;
                state.items.set(id, item);
                state.fresh.delete(id);
                Object.assign(state, { csrf: null });
                delete state.editor;
                state['reviewer'] = 'x';
                if (state.busy === true && state.skew != 0 && state.skew <= 3 && state.skew >= 1) go();
                const all = [...state.items.values()].sort(byDeadline);
                item.state = 'pending';
                const words = 'state.busy = true'; // state.busy = true
                """;
        // When
        List<String> writes = stateWrites("m.js", source);
        // Then
        assertThat(writes).containsExactly("m.js:1", "m.js:2", "m.js:3", "m.js:4", "m.js:5", "m.js:6", "m.js:7",
                "m.js:8", "m.js:9", "m.js:10");
    }

    @Test
    void givenAModuleThatFetches_whenScanned_thenTheCallIsReported() {
        // Given
        String source = "const r = await fetch('/api/reviews');\nconst es = new EventSource('/api/events');\n"
                + "const text = 'fetch(x)';\nprefetch(x);\n";
        // When
        List<String> calls = networkCalls("view.js", source);
        // Then
        assertThat(calls).containsExactly("view.js:1", "view.js:2");
    }

    @Test
    void givenAPageWithASecondOrAnInlineScript_whenChecked_thenItIsReported() {
        // Given
        String good = "<head><script type=\"module\" src=\"/console-main.js\"></script></head><body></body>";
        String second = good.replace("</head>", "<script type=\"module\" src=\"/console-keys.js\"></script></head>");
        String inline = good.replace("</head>", "<script>boot()</script></head>");
        String handler = good.replace("<body>", "<body onload=\"boot()\">");
        String classic = good.replace("type=\"module\" ", "");
        // When / Then
        assertThat(pageViolations(good, "/console-main.js")).isEmpty();
        assertThat(pageViolations(second, "/console-main.js")).isNotEmpty();
        assertThat(pageViolations(inline, "/console-main.js")).isNotEmpty();
        assertThat(pageViolations(handler, "/console-main.js")).isNotEmpty();
        assertThat(pageViolations(classic, "/console-main.js")).isNotEmpty();
    }

    // ----------------------------------------------------------------------------------------------------------
    // The checker

    /** One import: the importing module, the imported one, its line and whether it is a dynamic import(). */
    record Import(String from, String target, int line, boolean dynamic) {

        String edge() {
            return from + " -> " + target;
        }

        @Override
        public String toString() {
            return from + ":" + line + " imports " + target + (dynamic ? " (dynamic)" : "");
        }
    }

    private static final Pattern STATIC_IMPORT = Pattern.compile(
            "(?<![\\w$.])(?:import|export)\\s*(?:[\\w$*{}\\s,]+?\\s*from\\s*)?(['\"])([^'\"\\n]*)\\1");
    private static final Pattern DYNAMIC_IMPORT = Pattern.compile("(?<![\\w$.])import\\s*\\(");
    private static final Pattern DYNAMIC_LITERAL = Pattern.compile("\\G\\s*(['\"`])([^'\"`\\n]*)\\1\\s*\\)");
    private static final Pattern RELATIVE_MODULE = Pattern.compile("\\./([A-Za-z0-9_-]+\\.js)");

    private static Path consoleFolder() throws URISyntaxException {
        URL folder = ConsoleModuleLayersTest.class.getResource("/" + StaticFiles.ROOT);
        assertThat(folder).as("classpath folder /" + StaticFiles.ROOT).isNotNull();
        return Path.of(folder.toURI());
    }

    /** The console's .js files by name, from the classpath. */
    private static Map<String, String> consoleModules() throws IOException, URISyntaxException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.list(consoleFolder())) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".js")).toList()) {
                sources.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return sources;
    }

    /** The relative imports of every module (static, re-exports, side-effect and dynamic), by importing module. */
    static Map<String, List<Import>> parseImports(Map<String, String> sources) {
        Map<String, List<Import>> graph = new TreeMap<>();
        sources.forEach((name, source) -> {
            assertThat(importViolations(name, source)).as("imports of " + name).isEmpty();
            graph.put(name, imports(name, source));
        });
        return graph;
    }

    private static List<Import> imports(String name, String source) {
        List<Import> found = new ArrayList<>();
        forEachSpecifier(name, source, (specifier, at, dynamic) -> {
            Matcher relative = RELATIVE_MODULE.matcher(specifier);
            if (relative.matches()) {
                found.add(new Import(name, relative.group(1), lineOf(source, at), dynamic));
            }
        });
        found.sort((x, y) -> Integer.compare(x.line(), y.line()));
        return found;
    }

    /** Imports the checker cannot follow: a specifier other than './name.js', or a computed dynamic import. */
    static List<String> importViolations(String name, String source) {
        List<String> violations = new ArrayList<>();
        forEachSpecifier(name, source, (specifier, at, dynamic) -> {
            if (specifier == null) {
                violations.add(name + ":" + lineOf(source, at) + " has a dynamic import of a computed module");
            } else if (!RELATIVE_MODULE.matcher(specifier).matches()) {
                violations.add(name + ":" + lineOf(source, at) + " imports '" + specifier
                        + "': only './name.js' of this folder is allowed");
            }
        });
        return violations;
    }

    private interface SpecifierVisitor {
        void visit(String specifier, int at, boolean dynamic);
    }

    private static void forEachSpecifier(String name, String source, SpecifierVisitor visitor) {
        String code = JsScanner.withoutComments(source);
        String blanked = JsScanner.withoutCommentsAndLiterals(source);
        Matcher statics = STATIC_IMPORT.matcher(code);
        while (statics.find()) {
            if (isCode(blanked, statics.start())) {
                visitor.visit(statics.group(2), statics.start(), false);
            }
        }
        Matcher dynamics = DYNAMIC_IMPORT.matcher(code);
        while (dynamics.find()) {
            if (!isCode(blanked, dynamics.start())) {
                continue;
            }
            Matcher literal = DYNAMIC_LITERAL.matcher(code);
            boolean isLiteral = literal.find(dynamics.end()) && literal.start() == dynamics.end();
            visitor.visit(isLiteral ? literal.group(2) : null, dynamics.start(), true);
        }
    }

    /** Whether the keyword at {@code at} is code, not the inside of a string (the blanked copy keeps only code). */
    private static boolean isCode(String blanked, int at) {
        return blanked.startsWith("import", at) || blanked.startsWith("export", at);
    }

    /** The rule's violations: modules without a layer, imports of a higher layer or of an unlisted same-layer module. */
    static List<String> layerViolations(Map<String, List<Import>> graph, Map<String, Integer> layers,
            Set<String> sameLayerAllowed) {
        List<String> violations = new ArrayList<>();
        graph.forEach((module, imports) -> {
            Integer layer = layers.get(module);
            if (layer == null) {
                violations.add(module + " has no layer: add it to LAYERS");
            }
            for (Import i : imports) {
                Integer target = layers.get(i.target());
                String at = module + ":" + i.line();
                if (target == null) {
                    violations.add(at + " imports " + i.target() + ", which has no layer");
                } else if (!graph.containsKey(i.target())) {
                    violations.add(at + " imports " + i.target() + ", which does not exist");
                } else if (layer == null) {
                    continue;
                } else if (target > layer) {
                    violations.add(at + " (" + LAYER_NAMES.get(layer) + ") imports " + i.target() + " ("
                            + LAYER_NAMES.get(target) + "): a higher layer");
                } else if (target.equals(layer) && !sameLayerAllowed.contains(i.edge())) {
                    violations.add(at + " (" + LAYER_NAMES.get(layer) + ") imports " + i.target()
                            + " of its own layer, which SAME_LAYER_IMPORTS does not list");
                }
            }
        });
        return violations;
    }

    /** The first import cycle found (depth first, modules in name order), as a path that ends where it starts. */
    static Optional<List<String>> findCycle(Map<String, List<Import>> graph) {
        Set<String> done = new TreeSet<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            Optional<List<String>> cycle = cycleFrom(start, graph, new ArrayList<>(), new LinkedHashSet<>(), done);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> cycleFrom(String module, Map<String, List<Import>> graph, List<String> path,
            Set<String> onPath, Set<String> done) {
        if (onPath.contains(module)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(module), path.size()));
            cycle.add(module);
            return Optional.of(cycle);
        }
        if (done.contains(module)) {
            return Optional.empty();
        }
        path.add(module);
        onPath.add(module);
        for (Import i : graph.getOrDefault(module, List.of())) {
            Optional<List<String>> cycle = cycleFrom(i.target(), graph, path, onPath, done);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        onPath.remove(module);
        done.add(module);
        return Optional.empty();
    }

    private static Set<String> reachableFrom(String start, Map<String, List<Import>> graph) {
        Set<String> reached = new TreeSet<>();
        Deque<String> next = new ArrayDeque<>(List.of(start));
        while (!next.isEmpty()) {
            String module = next.removeFirst();
            if (reached.add(module)) {
                graph.getOrDefault(module, List.of()).forEach(i -> next.addLast(i.target()));
            }
        }
        return reached;
    }

    private static final String STATE_PATH = "(?<![\\w$.])state(?:\\s*\\.\\s*[\\w$]+|\\s*\\[[^\\]\\n]*\\])+";
    private static final List<Pattern> STATE_WRITES = List.of(
            // state.x = …, state.x.y += …, state['x'] = … (not ==, ===, <=, >=, !=)
            Pattern.compile(STATE_PATH + "\\s*(?:[-+*/%&|^]|\\*\\*|<<|>>>?|&&|\\|\\||\\?\\?)?=(?!=)"),
            Pattern.compile(STATE_PATH + "\\s*(?:\\+\\+|--)"),
            Pattern.compile("(?:\\+\\+|--)\\s*state\\s*[.\\[]"),
            // Map, Set and Array methods that change the field they are called on
            Pattern.compile(STATE_PATH + "\\s*\\.\\s*(?:set|delete|clear|add|push|pop|shift|unshift|splice|sort"
                    + "|reverse|fill|copyWithin)\\s*\\("),
            Pattern.compile("Object\\s*\\.\\s*(?:assign|defineProperty|defineProperties)\\s*\\(\\s*state\\b"),
            Pattern.compile("(?<![\\w$.])delete\\s+state\\s*[.\\[]"));

    /** Lines that change the shared state object ("module:line"), outside comments and string literals. */
    static List<String> stateWrites(String name, String source) {
        return matchingLines(name, source, STATE_WRITES);
    }

    private static final List<Pattern> NETWORK_CALLS = List.of(
            Pattern.compile("(?<![\\w$.])fetch\\s*\\("),
            Pattern.compile("(?<![\\w$.])new\\s+(?:EventSource|WebSocket|XMLHttpRequest)\\b"),
            Pattern.compile("\\bsendBeacon\\s*\\("));

    /** Lines that call the network ("module:line"). */
    static List<String> networkCalls(String name, String source) {
        return matchingLines(name, source, NETWORK_CALLS);
    }

    private static List<String> matchingLines(String name, String source, List<Pattern> patterns) {
        String code = JsScanner.withoutCommentsAndLiterals(source);
        Set<Integer> lines = new TreeSet<>();
        for (Pattern pattern : patterns) {
            Matcher m = pattern.matcher(code);
            while (m.find()) {
                lines.add(lineOf(code, m.start()));
            }
        }
        return lines.stream().map(line -> name + ":" + line).toList();
    }

    private static final Pattern SCRIPT = Pattern.compile("<script\\b([^>]*)>([\\s\\S]*?)</script\\s*>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SCRIPT_OPEN = Pattern.compile("<script\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern INLINE_HANDLER = Pattern.compile("<[^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern JS_FILE = Pattern.compile("[\\w./-]+\\.m?js\\b");

    /** What is wrong with how the page loads its scripts: it must load {@code mainSrc} alone, as a module. */
    static List<String> pageViolations(String html, String mainSrc) {
        List<String> violations = new ArrayList<>();
        int scripts = 0;
        Matcher m = SCRIPT.matcher(html);
        while (m.find()) {
            scripts++;
            String attributes = m.group(1);
            if (!m.group(2).isBlank()) {
                violations.add("an inline script (the Content-Security-Policy refuses it): " + m.group(2).strip());
            }
            if (!attributes.matches("(?s).*\\btype\\s*=\\s*[\"']module[\"'].*")) {
                violations.add("a script that is not a module: <script" + attributes + ">");
            }
            if (!attributes.matches("(?s).*\\bsrc\\s*=\\s*[\"']" + Pattern.quote(mainSrc) + "[\"'].*")) {
                violations.add("a script other than " + mainSrc + ": <script" + attributes + ">");
            }
        }
        long opened = SCRIPT_OPEN.matcher(html).results().count();
        if (scripts != 1 || opened != 1) {
            violations.add("the page has " + opened + " script elements; it must have one, " + mainSrc);
        }
        if (INLINE_HANDLER.matcher(html).find()) {
            violations.add("an inline event handler attribute (the Content-Security-Policy refuses it)");
        }
        Set<String> files = JS_FILE.matcher(html).results().map(r -> r.group()).collect(Collectors.toSet());
        if (!files.equals(Set.of(mainSrc))) {
            violations.add("the page names these scripts: " + files);
        }
        return violations;
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * A small JavaScript scanner: blanks comments (and, if asked, the contents of string, template and regular
     * expression literals) with spaces, keeping every other character and every line break where it was, so that
     * regular expressions on the result see only code and report the right lines.
     */
    static final class JsScanner {

        private static final Set<String> REGEX_AFTER = Set.of("return", "typeof", "case", "do", "else", "in", "of",
                "new", "delete", "void", "throw", "instanceof", "yield", "await");

        private final String src;
        private final boolean blankLiterals;
        private final StringBuilder out;
        private int i;

        private JsScanner(String src, boolean blankLiterals) {
            this.src = src;
            this.blankLiterals = blankLiterals;
            this.out = new StringBuilder(src.length());
        }

        static String withoutComments(String src) {
            JsScanner scanner = new JsScanner(src, false);
            scanner.code(false);
            return scanner.out.toString();
        }

        static String withoutCommentsAndLiterals(String src) {
            JsScanner scanner = new JsScanner(src, true);
            scanner.code(false);
            return scanner.out.toString();
        }

        /** Code up to the end, or (in a template's ${…}) up to and with the brace that closes it. */
        private void code(boolean untilClosingBrace) {
            int depth = 0;
            while (i < src.length()) {
                char c = src.charAt(i);
                char next = i + 1 < src.length() ? src.charAt(i + 1) : 0;
                if (c == '/' && next == '/') {
                    while (i < src.length() && src.charAt(i) != '\n') {
                        blank();
                    }
                } else if (c == '/' && next == '*') {
                    int end = src.indexOf("*/", i + 2);
                    end = end < 0 ? src.length() : end + 2;
                    while (i < end) {
                        blank();
                    }
                } else if (c == '\'' || c == '"') {
                    quoted(c);
                } else if (c == '`') {
                    template();
                } else if (c == '/' && regexCanStart()) {
                    regex();
                } else {
                    if (untilClosingBrace && c == '{') {
                        depth++;
                    } else if (untilClosingBrace && c == '}') {
                        if (depth == 0) {
                            keep();
                            return;
                        }
                        depth--;
                    }
                    keep();
                }
            }
        }

        private void quoted(char quote) {
            keep();
            while (i < src.length()) {
                char c = src.charAt(i);
                if (c == '\\' && i + 1 < src.length()) {
                    literal();
                    literal();
                } else if (c == quote) {
                    keep();
                    return;
                } else if (c == '\n') {
                    return; // unterminated: let the code go on
                } else {
                    literal();
                }
            }
        }

        private void template() {
            keep();
            while (i < src.length()) {
                char c = src.charAt(i);
                if (c == '\\' && i + 1 < src.length()) {
                    literal();
                    literal();
                } else if (c == '`') {
                    keep();
                    return;
                } else if (c == '$' && i + 1 < src.length() && src.charAt(i + 1) == '{') {
                    keep();
                    keep();
                    code(true);
                } else {
                    literal();
                }
            }
        }

        private void regex() {
            keep();
            boolean inClass = false;
            while (i < src.length()) {
                char c = src.charAt(i);
                if (c == '\n') {
                    return;
                } else if (c == '\\' && i + 1 < src.length()) {
                    literal();
                    literal();
                } else if (c == '[') {
                    inClass = true;
                    literal();
                } else if (c == ']') {
                    inClass = false;
                    literal();
                } else if (c == '/' && !inClass) {
                    keep();
                    while (i < src.length() && Character.isLetter(src.charAt(i))) {
                        keep();
                    }
                    return;
                } else {
                    literal();
                }
            }
        }

        /** A slash starts a regular expression unless it follows a value (a name, a number, ')', ']' or a literal). */
        private boolean regexCanStart() {
            int j = out.length() - 1;
            while (j >= 0 && Character.isWhitespace(out.charAt(j))) {
                j--;
            }
            if (j < 0) {
                return true;
            }
            char last = out.charAt(j);
            if (Character.isJavaIdentifierPart(last)) {
                int start = j;
                while (start > 0 && Character.isJavaIdentifierPart(out.charAt(start - 1))) {
                    start--;
                }
                return REGEX_AFTER.contains(out.substring(start, j + 1));
            }
            return ")]'\"`".indexOf(last) < 0;
        }

        private void keep() {
            out.append(src.charAt(i++));
        }

        private void literal() {
            if (blankLiterals) {
                blank();
            } else {
                keep();
            }
        }

        private void blank() {
            out.append(src.charAt(i) == '\n' ? '\n' : ' ');
            i++;
        }
    }
}
