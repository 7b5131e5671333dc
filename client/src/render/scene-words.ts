import { BitmapText, Text, type Container } from 'pixi.js';

/** A word drawn on the scene, for the browser tests: its text, its size and box on screen (CSS px). */
export interface SceneWord {
  text: string;
  px: number;
  box: { x: number; y: number; w: number; h: number };
}

/**
 * Every non-empty text the scene shows, with the size its font is drawn at: the font size times the
 * scales of the text and all its containers (the stage itself is in CSS px, pixi's autoDensity).
 */
export function sceneWords(stage: Container): SceneWord[] {
  const out: SceneWord[] = [];
  const visit = (c: Container, scale: number): void => {
    if (!c.visible || c.alpha === 0) return;
    const s = scale * Math.abs(c.scale.y);
    if ((c instanceof Text || c instanceof BitmapText) && c.text.trim() !== '') {
      const b = c.getBounds();
      out.push({
        text: c.text,
        px: Number(c.style.fontSize) * s,
        box: { x: b.x, y: b.y, w: b.width, h: b.height },
      });
    }
    for (const child of c.children) visit(child, s);
  };
  visit(stage, 1);
  return out;
}
