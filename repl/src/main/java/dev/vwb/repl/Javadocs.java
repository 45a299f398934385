package dev.vwb.repl;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.DocTree;
import com.sun.source.doctree.LinkTree;
import com.sun.source.doctree.LiteralTree;
import com.sun.source.doctree.ParamTree;
import com.sun.source.doctree.ReturnTree;
import com.sun.source.doctree.StartElementTree;
import com.sun.source.doctree.TextTree;
import com.sun.source.doctree.ThrowsTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The Javadoc of the workbench's own types and members, for a notebook's inspect (Shift-Tab).
 * JShell finds Javadoc only in the JDK's src.zip; the workbench's jars carry their sources under
 * {@value #ROOT} (see the modules' poms), and this parses the one a signature names with javac's
 * tree API and renders its doc comment as plain text.
 *
 * <p>Signatures are JShell's ({@code SourceCodeAnalysis.Documentation.signature()}):
 * {@code RunReport Vm.step(long n)}, {@code dev.vwb.workbench.Vm}, constructors as
 * {@code dev.vwb.workbench.Recording(RunReport report, ...)}, fields as {@code Hypervisor.WINDOW_HOST:int},
 * enum constants as {@code Hypervisor.Mode.PATCH}.
 */
final class Javadocs {
    static final String ROOT = "META-INF/vwb-sources/";

    /** Packages simple names are looked up in: the ones a session imports whole, then the rest of the workbench's. */
    private static final List<String> PACKAGES = List.of("dev.vwb.workbench", "dev.vwb.workbench.hv", "dev.vwb.tracing",
            "dev.vwb.machine.cpu", "dev.vwb.machine", "dev.vwb.workbench.guests", "dev.vwb.machine.asm");

    private final ClassLoader loader;
    /** Parsed sources by resource name (empty: not there, or did not parse). */
    private final Map<String, Optional<Parsed>> parsed = new ConcurrentHashMap<>();

    private record Parsed(CompilationUnitTree unit, DocTrees trees) {
    }

    Javadocs(ClassLoader loader) {
        this.loader = loader;
    }

    /** The rendered Javadoc of what {@code signature} names, if it is the workbench's and documented. */
    Optional<String> of(String signature) {
        try {
            return find(signature.strip());
        } catch (RuntimeException e) {
            return Optional.empty(); // inspect is a convenience: a signature this cannot read has no Javadoc here
        }
    }

    private Optional<String> find(String signature) {
        int paren = signature.indexOf('(');
        String head = paren < 0 ? signature : signature.substring(0, paren);
        int colon = head.indexOf(':');
        if (colon >= 0) {
            head = head.substring(0, colon);   // a field: NAME:TYPE
        }
        int space = head.lastIndexOf(' ');
        String name = head.substring(space + 1);   // after the return type, if any
        List<String> params = paren < 0 ? null : parameterTypes(signature.substring(paren + 1, signature.lastIndexOf(')')));
        Optional<Located> type = locate(name);
        if (type.isPresent()) {   // a type, or (with parameters) one of its constructors
            return params == null ? doc(type.get(), type.get().path())
                    : member(type.get(), "<init>", params);
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        return locate(name.substring(0, dot)).flatMap(owner -> member(owner, name.substring(dot + 1), params));
    }

    /** A type found in the sources: its file and its tree. */
    private record Located(Parsed source, TreePath path) {
    }

    /** The type a dotted name (fully qualified, or simple from one of {@link #PACKAGES}, nested types after a dot) names. */
    private Optional<Located> locate(String dotted) {
        String[] parts = dotted.split("\\.");
        for (int i = 0; i < parts.length; i++) {   // package parts, then the top-level class, then nested ones
            String pkg = String.join("/", java.util.Arrays.copyOfRange(parts, 0, i));
            Optional<Located> found = nested(pkg, parts, i);
            if (found.isPresent()) {
                return found;
            }
        }
        for (String pkg : PACKAGES) {
            Optional<Located> found = nested(pkg.replace('.', '/'), parts, 0);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<Located> nested(String pkgPath, String[] parts, int top) {
        if (pkgPath.isEmpty() && top > 0) {
            return Optional.empty();
        }
        Optional<Parsed> source = parse(ROOT + (pkgPath.isEmpty() ? "" : pkgPath + "/") + parts[top] + ".java");
        if (source.isEmpty()) {
            return Optional.empty();
        }
        TreePath path = null;
        List<? extends Tree> members = source.get().unit().getTypeDecls();
        for (int i = top; i < parts.length; i++) {
            ClassTree next = null;
            for (Tree t : members) {
                if (t instanceof ClassTree c && c.getSimpleName().contentEquals(parts[i])) {
                    next = c;
                }
            }
            if (next == null) {
                return Optional.empty();
            }
            path = path == null ? TreePath.getPath(source.get().unit(), next) : new TreePath(path, next);
            members = next.getMembers();
        }
        return Optional.of(new Located(source.get(), path));
    }

    /** The member {@code name} of the type (a method or constructor with these parameter types, or a field). */
    private Optional<String> member(Located type, String name, List<String> params) {
        ClassTree c = (ClassTree) type.path().getLeaf();
        Tree best = null;
        for (Tree m : c.getMembers()) {
            if (params != null && m instanceof MethodTree method && method.getName().contentEquals(name)
                    && method.getParameters().size() == params.size()) {
                if (best == null || sameTypes(method, params)) {
                    best = method;
                }
            } else if (params == null && m instanceof VariableTree field && field.getName().contentEquals(name)) {
                best = field;
            }
        }
        Optional<String> doc = best == null ? Optional.empty() : doc(type, new TreePath(type.path(), best));
        if (doc.isEmpty() && name.equals("<init>") && c.getKind() == Tree.Kind.RECORD) {
            return doc(type, type.path());   // a record's canonical constructor: its components are the record's @params
        }
        return doc;
    }

    private static boolean sameTypes(MethodTree method, List<String> params) {
        for (int i = 0; i < params.size(); i++) {
            if (!simple(method.getParameters().get(i).getType().toString()).equals(simple(params.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** A type's simple name, without type arguments or package. */
    private static String simple(String type) {
        String t = type.replaceAll("<.*>", "").strip();
        return t.substring(t.lastIndexOf('.') + 1);
    }

    /** The parameter types of a signature's parameter list ({@code long n, java.util.List<A, B> xs}). */
    private static List<String> parameterTypes(String list) {
        List<String> types = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char ch : (list + ",").toCharArray()) {
            if (ch == ',' && depth == 0) {
                String p = current.toString().strip();
                if (!p.isEmpty()) {
                    int sp = p.lastIndexOf(' ');
                    types.add(sp < 0 ? p : p.substring(0, sp));
                }
                current.setLength(0);
                continue;
            }
            depth += ch == '<' ? 1 : ch == '>' ? -1 : 0;
            current.append(ch);
        }
        return types;
    }

    private Optional<String> doc(Located type, TreePath path) {
        DocCommentTree dc = type.source().trees().getDocCommentTree(path);
        return dc == null ? Optional.empty() : Optional.of(render(dc));
    }

    private Optional<Parsed> parse(String resource) {
        return parsed.computeIfAbsent(resource, r -> {
            try (InputStream in = loader.getResourceAsStream(r)) {
                if (in == null) {
                    return Optional.empty();
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
                JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + r), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return text;
                    }
                };
                JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
                CompilationUnitTree unit = task.parse().iterator().next();
                return Optional.of(new Parsed(unit, DocTrees.instance(task)));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /** A doc comment as plain text: the body in paragraphs, then parameters, the return value and exceptions. */
    static String render(DocCommentTree dc) {
        StringBuilder body = new StringBuilder();
        inline(dc.getFullBody(), body);
        StringBuilder sb = new StringBuilder(paragraphs(body.toString()));
        List<String> params = new ArrayList<>();
        List<String> tail = new ArrayList<>();
        for (DocTree tag : dc.getBlockTags()) {
            StringBuilder text = new StringBuilder();
            if (tag instanceof ParamTree p) {
                inline(p.getDescription(), text);
                params.add("  " + p.getName() + "  " + flat(text.toString()));
            } else if (tag instanceof ReturnTree r) {
                inline(r.getDescription(), text);
                tail.add("Returns: " + flat(text.toString()));
            } else if (tag instanceof ThrowsTree t) {
                inline(t.getDescription(), text);
                tail.add("Throws: " + t.getExceptionName() + " " + flat(text.toString()));
            }
        }
        if (!params.isEmpty()) {
            sb.append("\n\nParameters:\n").append(String.join("\n", params));
        }
        if (!tail.isEmpty()) {
            sb.append("\n\n").append(String.join("\n", tail));
        }
        return sb.toString().strip();
    }

    private static void inline(List<? extends DocTree> trees, StringBuilder out) {
        for (DocTree t : trees) {
            switch (t.getKind()) {
                case TEXT -> out.append(((TextTree) t).getBody());
                case CODE, LITERAL -> out.append(((LiteralTree) t).getBody().getBody());
                case LINK, LINK_PLAIN -> {
                    LinkTree link = (LinkTree) t;
                    StringBuilder label = new StringBuilder();
                    inline(link.getLabel(), label);
                    out.append(label.length() > 0 ? label : link.getReference().getSignature().replace('#', '.').replaceAll("^\\.", ""));
                }
                case START_ELEMENT -> {
                    String tag = ((StartElementTree) t).getName().toString().toLowerCase(java.util.Locale.ROOT);
                    out.append(tag.equals("p") ? "\n\n" : tag.equals("li") ? "\n\n - " : "");
                }
                case END_ELEMENT -> { }
                case ENTITY -> out.append(switch (t.toString()) {
                    case "&lt;" -> "<";
                    case "&gt;" -> ">";
                    case "&amp;" -> "&";
                    default -> t.toString();
                });
                default -> out.append(t);
            }
        }
    }

    /** Source line breaks and indentation inside a paragraph are one space; paragraphs stay apart. */
    private static String paragraphs(String text) {
        StringBuilder sb = new StringBuilder();
        for (String p : text.split("\\n\\s*\\n")) {
            String flat = flat(p);
            if (!flat.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : "\n\n").append(p.stripLeading().startsWith("- ") ? " " + flat : flat);
            }
        }
        return sb.toString();
    }

    private static String flat(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
