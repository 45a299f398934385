package dev.vwb.notebooks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The judge of rendered views must be able to say no: blank, a line of text, grey text are not pictures. */
class ScreenshotTest {
    private static BufferedImage page() {
        BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 400, 300);
        return image;
    }

    @Test
    void aBlankBoxIsNotRendered() {
        Screenshot.Ink ink = Screenshot.inkIn(page(), new Screenshot.Box(10, 10, 300, 200));
        assertFalse(ink.rendered());
        assertFalse(ink.coloured());
    }

    @Test
    void aLineOfGreyTextInAPicturesBoxIsNotAPicture() {
        BufferedImage image = page();
        Graphics2D g = image.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        g.drawString("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"660\">", 12, 24);
        Screenshot.Ink ink = Screenshot.inkIn(image, new Screenshot.Box(10, 10, 300, 200));
        assertFalse(ink.rendered(), "text along one line does not fill the box: " + ink);
        assertFalse(ink.coloured(), "grey text has no colour: " + ink);
    }

    @Test
    void colouredShapesAcrossTheBoxAreAPicture() {
        BufferedImage image = page();
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x4a7bd0));
        g.fillRect(20, 20, 100, 30);
        g.setColor(new Color(0xe8f0fb));
        g.fillRect(200, 150, 100, 50);
        Screenshot.Ink ink = Screenshot.inkIn(image, new Screenshot.Box(10, 10, 300, 200));
        assertTrue(ink.rendered(), ink.toString());
        assertTrue(ink.coloured(), ink.toString());
    }
}
