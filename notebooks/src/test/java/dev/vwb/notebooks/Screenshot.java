package dev.vwb.notebooks;

import java.awt.image.BufferedImage;

/**
 * What a region of a screenshot shows, as a person would judge it at a glance: is anything drawn
 * there (ink: pixels clearly darker or more coloured than the white page), is it spread over the
 * region (a picture or a table fills its box; a stray line or a caption does not), and is any of
 * it in colour (the workbench's diagrams are; plain text on a page is black and grey).
 */
final class Screenshot {
    private Screenshot() {
    }

    /** A box on the page, in pixels. */
    record Box(int x, int y, int width, int height) {
    }

    /**
     * What a box holds.
     *
     * @param inkFraction      the share of its pixels that are ink
     * @param spreadX          the share of its width between the leftmost and rightmost ink
     * @param spreadY          the share of its height between the topmost and bottommost ink
     * @param colourFraction   the share of its pixels that are clearly coloured (not white, grey or black)
     */
    record Ink(double inkFraction, double spreadX, double spreadY, double colourFraction) {
        /** Drawn, and across the box: not blank, not a line of text where a picture should be. */
        boolean rendered() {
            return inkFraction >= 0.005 && spreadX >= 0.5 && spreadY >= 0.5;
        }

        boolean coloured() {
            return colourFraction >= 0.002;
        }
    }

    /** The ink in {@code box} (clipped to the image). */
    static Ink inkIn(BufferedImage image, Box box) {
        int x0 = Math.max(0, box.x());
        int y0 = Math.max(0, box.y());
        int x1 = Math.min(image.getWidth(), box.x() + box.width());
        int y1 = Math.min(image.getHeight(), box.y() + box.height());
        if (x1 <= x0 || y1 <= y0) {
            return new Ink(0, 0, 0, 0);
        }
        long ink = 0;
        long colour = 0;
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        int minY = Integer.MAX_VALUE;
        int maxY = -1;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                int max = Math.max(r, Math.max(g, b));
                int min = Math.min(r, Math.min(g, b));
                // Ink: clearly off white (table rows shaded F5F5F5 are not ink; text and boxes are).
                if (min < 200 || max - min >= 12) {
                    ink++;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
                if (max - min >= 12 && r + g + b < 745) {
                    colour++;
                }
            }
        }
        double area = (double) (x1 - x0) * (y1 - y0);
        return ink == 0 ? new Ink(0, 0, 0, 0)
                : new Ink(ink / area, (maxX - minX + 1.0) / (x1 - x0), (maxY - minY + 1.0) / (y1 - y0), colour / area);
    }
}
