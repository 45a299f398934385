package dev.vwb.workbench;

/** Small helpers for the HTML renderings: escaping and table cells. */
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
}
