package dev.vwb.workbench;

/** Small helpers for the HTML renderings: escaping, tables, rows and cells. */
final class Html {
    private Html() {
    }

    /** Escapes the five characters that matter in HTML text and attribute values. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A {@code <td>} with escaped text and an optional class (null for none). */
    static String td(String text, String cssClass) {
        return (cssClass == null ? "<td>" : "<td class=\"" + cssClass + "\">") + escape(text) + "</td>";
    }

    static String td(String text) {
        return td(text, null);
    }

    static String th(String text) {
        return "<th>" + escape(text) + "</th>";
    }

    /** The start of a table with class {@code cssClass} and a header row; the caller appends rows and {@code </table>}. */
    static StringBuilder table(String cssClass, String... headers) {
        StringBuilder sb = new StringBuilder("<table class=\"").append(cssClass).append("\">\n<tr>");
        for (String h : headers) {
            sb.append(th(h));
        }
        return sb.append("</tr>\n");
    }

    /** A row of escaped cells, with its line break. */
    static String row(String... cells) {
        StringBuilder sb = new StringBuilder("<tr>");
        for (String c : cells) {
            sb.append(td(c));
        }
        return sb.append("</tr>\n").toString();
    }
}
