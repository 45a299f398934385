package dev.vwb.workbench;

/**
 * A value that renders itself as an HTML fragment for notebooks (the Jupyter kernel shows it
 * as {@code text/html}); its {@code toString} is the plain-text form for the REPL.
 */
public interface HtmlRenderable {
    /** An HTML fragment (no {@code <html>} or {@code <body>}), every guest-derived text escaped. */
    String toHtml();
}
